using System.Text.Json;
using Conduit.Errors;
using Conduit.Silo.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Conduit.Tests.Api;

/// <summary>
/// A call in flight to a silo that dies fails in Orleans with a messaging exception; the REST caller must get
/// a retryable 503 with a code, not a 500 and not the exception's text.
/// </summary>
public sealed class ClusterFailureTests
{
    private static Exception Failure(string name) => name switch
    {
        "silo-unavailable" => new SiloUnavailableException("The target silo became unavailable for message: S127.0.0.1:11111:1 secret-detail"),
        "connection-failed" => new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:11111:1 secret-detail"),
        "response-timeout" => new TimeoutException("Response did not arrive on time in 00:02:50 for message: secret-detail"),
        _ => new GatewayTooBusyException(),
    };

    [Theory]
    [InlineData("silo-unavailable")]
    [InlineData("connection-failed")]
    [InlineData("gateway-too-busy")]
    [InlineData("response-timeout")]
    public async Task OrleansMessagingFailure_IsRetryable503ClusterUnavailable(string name)
    {
        var failure = Failure(name);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        var middleware = new ErrorHandlingMiddleware(_ => throw failure, NullLogger<ErrorHandlingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        context.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(ErrorCodes.ClusterUnavailable, body.RootElement.GetProperty("code").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.DoesNotContain("secret-detail", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedFailure_StaysInternalError()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        var middleware = new ErrorHandlingMiddleware(_ => throw new InvalidOperationException("secret-detail"), NullLogger<ErrorHandlingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        context.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.Equal(ErrorCodes.InternalError, body.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("secret-detail", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
