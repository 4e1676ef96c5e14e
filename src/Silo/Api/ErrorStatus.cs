using Conduit.Errors;

namespace Conduit.Silo.Api;

/// <summary>The one HTTP status for each error code.</summary>
public static class ErrorStatus
{
    /// <summary>The status code for <paramref name="code"/>; unknown codes are 500.</summary>
    public static int For(string code) => code switch
    {
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.ProjectNotFound or ErrorCodes.DatabaseNotRegistered => StatusCodes.Status404NotFound,
        ErrorCodes.ProjectExists or ErrorCodes.DatabaseExists => StatusCodes.Status409Conflict,
        ErrorCodes.InvalidRequest or ErrorCodes.UnsupportedCommand => StatusCodes.Status400BadRequest,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited or ErrorCodes.SubscriptionLimit => StatusCodes.Status429TooManyRequests,
        ErrorCodes.BackendError or ErrorCodes.ResultTooLarge => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.CircuitOpen or ErrorCodes.QueueTimeout or ErrorCodes.BackendUnavailable or ErrorCodes.PlatformUnavailable or ErrorCodes.ClusterUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.QueryTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
