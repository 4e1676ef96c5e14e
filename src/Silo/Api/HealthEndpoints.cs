using Conduit.Registry;
using Conduit.Silo.Hosting;

namespace Conduit.Silo.Api;

/// <summary><c>GET /api/platform/health</c>: 200 when the silo and its platform store answer, else 503. No secrets, no auth (load balancers call it).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps the silo health route.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/platform/health", async (IProjectRegistry registry, ILocalSiloDetails silo, PlatformStoreInfo store, CancellationToken cancellationToken) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var storeUp = await registry.PingAsync(timeout.Token);
            var body = new
            {
                status = storeUp ? "healthy" : "unhealthy",
                silo = new { address = silo.SiloAddress.ToString(), name = silo.Name, status = "active" },
                platformStore = new { kind = store.Kind, status = storeUp ? "up" : "down" },
            };
            return Results.Json(body, statusCode: storeUp ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
}
