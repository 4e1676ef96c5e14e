using Conduit.Errors;

namespace Conduit.Silo.Api;

/// <summary>Endpoint filter: admin routes need the admin key; project routes accept the admin key or that project's own key.</summary>
public sealed class AccessFilter(bool allowProjectKey) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Of(ErrorCodes.Unauthorized, "An Authorization: Bearer <key> header is required.", http);
        }

        var presented = header[7..].Trim();
        var keys = http.RequestServices.GetRequiredService<ApiKeys>();
        if (keys.IsAdmin(presented))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (!presented.StartsWith(ApiKeys.ProjectKeyPrefix, StringComparison.Ordinal))
        {
            return Problems.Of(ErrorCodes.Unauthorized, "The bearer key is not valid.", http);
        }

        var projectRef = http.GetRouteValue("ref") as string;
        if (allowProjectKey && projectRef is not null && await keys.IsProjectKeyAsync(projectRef, presented, http.RequestAborted).ConfigureAwait(false))
        {
            return await next(context).ConfigureAwait(false);
        }

        return Problems.Of(ErrorCodes.Forbidden, allowProjectKey
            ? "This key does not grant access to this project."
            : "This route needs the admin key; a project key only reaches its own project's data routes.", http);
    }
}
