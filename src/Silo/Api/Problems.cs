using System.Globalization;
using Conduit.Errors;

namespace Conduit.Silo.Api;

/// <summary>Writes errors as <c>application/problem+json</c> with a stable <c>code</c>; never a stack trace.</summary>
public static class Problems
{
    /// <summary>The problem response for <paramref name="exception"/>; <paramref name="status"/> overrides the code's usual status (a MongoDB duplicate key is 409).</summary>
    public static IResult From(ConduitException exception, HttpContext context, int? status = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        status ??= ErrorStatus.For(exception.Code);
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = exception.Code,
            ["traceId"] = context.TraceIdentifier,
        };
        if (exception.BackendCode is { } backendCode)
        {
            extensions["backendCode"] = backendCode;
        }

        if (exception.RetryAfter is { } retryAfter)
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            extensions["retryAfterSeconds"] = seconds;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return Results.Problem(
            statusCode: status,
            title: exception.Code,
            detail: exception.Message,
            type: $"https://conduit.dev/errors/{exception.Code.ToLowerInvariant().Replace('_', '-')}",
            extensions: extensions);
    }

    /// <summary>Shorthand for a coded problem.</summary>
    public static IResult Of(string code, string message, HttpContext context) => From(new ConduitException(code, message), context);
}
