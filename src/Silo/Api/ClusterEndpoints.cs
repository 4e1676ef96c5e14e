using Conduit.Silo.Hosting;
using Conduit.Tenancy;
using Orleans.Configuration;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Api;

/// <summary>
/// <c>GET /api/platform/cluster</c> (admin key): the silos of the cluster with their membership status and
/// address, and per silo the number of activations and of tenant grains, so the spread after a join and
/// the recovery after a failure can be watched.
/// </summary>
public static class ClusterEndpoints
{
    // Orleans names grain types in its statistics as "Full.Type.Name,Assembly".
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(2);

    private static readonly string _tenantGrainType = $"{typeof(ProjectConnectionGrain).FullName},{typeof(ProjectConnectionGrain).Assembly.GetName().Name}";

    /// <summary>Maps the cluster view.</summary>
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/platform/cluster", GetClusterAsync).AddEndpointFilter(new AccessFilter(allowProjectKey: false));

    private static async Task<IResult> GetClusterAsync(IGrainFactory grains, ILocalSiloDetails local, IOptions<ClusterOptions> cluster, PlatformStoreInfo store)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var members = await management.GetDetailedHosts(onlyActive: false);
        var active = members.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
        var perSilo = await Task.WhenAll(active.Select(silo => CountAsync(management, silo)));
        var activations = perSilo.Where(c => c.Counted).ToDictionary(c => c.Silo, c => c.Activations);
        var tenants = perSilo.Where(c => c.Counted).ToDictionary(c => c.Silo, c => c.Tenants);

        var silos = members
            .OrderBy(m => m.Status == SiloStatus.Dead)
            .ThenBy(m => m.StartTime)
            .Select(m => new
            {
                address = m.SiloAddress.ToString(),
                endpoint = m.SiloAddress.Endpoint.ToString(),
                name = m.SiloName,
                status = m.Status.ToString().ToLowerInvariant(),
                gatewayPort = m.ProxyPort,
                startedAt = new DateTimeOffset(DateTime.SpecifyKind(m.StartTime, DateTimeKind.Utc)),
                lastHeartbeat = new DateTimeOffset(DateTime.SpecifyKind(m.IAmAliveTime, DateTimeKind.Utc)),
                activations = activations.TryGetValue(m.SiloAddress, out var count) ? count : (int?)null,
                tenantActivations = tenants.TryGetValue(m.SiloAddress, out var tenantCount) ? tenantCount : (int?)null,
                answered = m.Status == SiloStatus.Active ? activations.ContainsKey(m.SiloAddress) : (bool?)null,
            })
            .ToList();

        return Results.Ok(new
        {
            clusterId = cluster.Value.ClusterId,
            mode = store.Kind == "postgresql" ? "cluster" : "embedded",
            servedBy = local.SiloAddress.ToString(),
            activeSilos = active.Length,
            tenantActivations = tenants.Values.Sum(),
            silos,
        });
    }

    /// <summary>
    /// Asks one silo for its counts. A silo that is active in the table but hung or dying does not answer;
    /// it must not fail the whole view (that is when an operator looks at it), so it is reported as not answered.
    /// </summary>
    private static async Task<SiloCounts> CountAsync(IManagementGrain management, SiloAddress silo)
    {
        try
        {
            SiloAddress[] target = [silo];
            var runtime = await management.GetRuntimeStatistics(target).WaitAsync(StatisticsTimeout);
            var grains = await management.GetSimpleGrainStatistics(target).WaitAsync(StatisticsTimeout);
            var tenants = grains.Where(g => g.GrainType == _tenantGrainType).Sum(g => g.ActivationCount);
            return new SiloCounts(silo, true, runtime.Single().ActivationCount, tenants);
        }
        catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
        {
            return new SiloCounts(silo, false, 0, 0);
        }
    }

    private sealed record SiloCounts(SiloAddress Silo, bool Counted, int Activations, int Tenants);
}
