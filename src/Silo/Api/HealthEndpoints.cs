using Conduit.Registry;
using Conduit.Silo.Hosting;
using Orleans.Runtime;

namespace Conduit.Silo.Api;

/// <summary>
/// <c>GET /api/platform/health</c>: this silo, the cluster's membership as this silo sees it, and the platform
/// store. 200 when this silo is active and its store answers, else 503. No secrets, no auth (load balancers call it).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps the silo health route.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/platform/health", GetHealthAsync);

    private static async Task<IResult> GetHealthAsync(IProjectRegistry registry, ILocalSiloDetails silo, IClusterMembershipService membership, PlatformStoreInfo store, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var storeUp = await registry.PingAsync(timeout.Token);

        // The local membership snapshot: no grain call, so health answers even while the cluster is busy.
        var snapshot = membership.CurrentSnapshot;
        var self = snapshot.GetSiloStatus(silo.SiloAddress);
        var members = snapshot.Members.Values
            .OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .Select(m => new { address = m.SiloAddress.ToParsableString(), name = m.Name, status = StatusName(m.Status) })
            .ToList();
        var healthy = storeUp && self == SiloStatus.Active;
        var body = new
        {
            status = healthy ? "healthy" : "unhealthy",
            silo = new { address = silo.SiloAddress.ToParsableString(), name = silo.Name, status = StatusName(self) },
            cluster = new
            {
                version = snapshot.Version.Value,
                activeSilos = members.Count(m => m.status == "active"),
                members,
            },
            platformStore = new { kind = store.Kind, status = storeUp ? "up" : "down" },
        };
        return Results.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Created => "created",
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };
}
