using Conduit.Errors;
using Conduit.Silo.Api;

namespace Conduit.Silo.Hosting;

/// <summary>Turns every failure into a coded problem response; unexpected ones are logged and answered without details.</summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    /// <summary>Runs the rest of the pipeline and answers its failures.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (ConduitException e) when (!context.Response.HasStarted)
        {
            await Problems.From(e, context).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.PayloadTooLarge : ErrorCodes.InvalidRequest;
            await Problems.Of(code, code == ErrorCodes.PayloadTooLarge ? "body: the request is larger than the configured limit." : "body: the request could not be read.", context).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && ClusterFailures.IsClusterFailure(e))
        {
            // The grain's silo died or left mid-call (or no silo could take the message): the call may be retried
            // at once. The exception text names silos, not secrets, but the caller needs only the code.
            ApiLog.ClusterFailure(logger, e.GetType().Name, context.Request.Method, context.Request.Path);
            await Problems.From(ClusterFailures.ToConduitException(e), context).ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nobody is left to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            ApiLog.Unhandled(logger, e, context.Request.Method, context.Request.Path);
            await Problems.Of(ErrorCodes.InternalError, "An unexpected error occurred; the silo log has the details under this traceId.", context).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
