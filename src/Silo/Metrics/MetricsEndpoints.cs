using Conduit.Silo.Api;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary><c>GET /metrics</c> and <c>GET /api/platform/metrics</c>: the silo's Prometheus exposition (text format 0.0.4).</summary>
public static class MetricsEndpoints
{
    /// <summary>The exposition's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Maps both routes; with <see cref="MetricsOptions.RequireAdminKey"/> they need the admin key.</summary>
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var requireAdmin = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.RequireAdminKey;
        foreach (var pattern in new[] { "/metrics", "/api/platform/metrics" })
        {
            var route = app.MapGet(pattern, WriteAsync);
            if (requireAdmin)
            {
                route.AddEndpointFilter(new AccessFilter(allowProjectKey: false));
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, CollectorRegistry registry)
    {
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}
