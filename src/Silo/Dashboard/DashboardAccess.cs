using System.Text;
using Conduit.Errors;
using Conduit.Silo.Api;

namespace Conduit.Silo.Dashboard;

/// <summary>
/// Guards every <c>/dashboard</c> request with the admin key, presented as <c>Authorization: Bearer &lt;key&gt;</c>
/// or as HTTP Basic with the key as the password (any user name). A 401 carries a Basic challenge, so a browser
/// asks once and then sends the key with the page's own API calls; the key never goes into a URL or a cookie.
/// </summary>
public static class DashboardAccess
{
    /// <summary>The realm of the Basic challenge.</summary>
    public const string Challenge = "Basic realm=\"Conduit dashboard\", charset=\"UTF-8\"";

    /// <summary>Dashboard routes not served: grain state calls grain methods by reflection (it could activate tenants).</summary>
    private static readonly string[] Blocked = ["/GrainState"];

    /// <summary>Runs the check before the dashboard's endpoints.</summary>
    public static void UseDashboardAccess(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ConduitDashboardOptions.Path),
            branch => branch.Use(CheckAsync));
    }

    /// <summary>The admin key a request presents (Bearer, or the password of Basic), or null.</summary>
    public static string? PresentedKey(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return null;
        }

        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var key = PresentedKey(context.Request.Headers.Authorization.ToString());
        if (key is null || !context.RequestServices.GetRequiredService<ApiKeys>().IsAdmin(key))
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
            await Problems.Of(ErrorCodes.Unauthorized, "The dashboard needs the admin key: as the password of HTTP Basic (any user name) or as Authorization: Bearer <key>.", context).ExecuteAsync(context);
            return;
        }

        var rest = context.Request.Path.Value![ConduitDashboardOptions.Path.Length..];
        if (Blocked.Any(b => rest.StartsWith(b, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    }
}
