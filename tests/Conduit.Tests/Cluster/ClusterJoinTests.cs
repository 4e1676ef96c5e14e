using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Cluster;

/// <summary>Scale-out with silo processes: a silo that joins a loaded cluster takes over tenants, and no call fails while they move.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ClusterJoinTests
{
    [Fact]
    public async Task ThirdSilo_JoinsTwoSilosServing200Tenants_ReceivesTenantsWhileEveryCallSucceeds()
    {
        await using var cluster = await ProcessCluster.StartAsync(2);
        var (refs, database) = await cluster.CreatePostgresTenantsAsync(200, "join");
        await ProcessCluster.QueryAllAsync(cluster.Silos[0], refs);

        SiloProcess third;
        await using (var load = new TenantLoad(cluster.Silos, refs))
        {
            third = await cluster.AddSiloAsync();

            // The rebalancer moves tenants to the new silo; a fair share would be ~67 of 200.
            await Eventually.TrueAsync(
                async () => ProcessCluster.TenantsBySilo(await ProcessCluster.ViewAsync(cluster.Silos[0])).GetValueOrDefault(third.Endpoint) >= 40,
                TimeSpan.FromSeconds(90),
                "the joining silo should receive tenant activations");
            var calls = load.Calls;
            await Eventually.TrueAsync(() => Task.FromResult(load.Calls > calls + 200), TimeSpan.FromSeconds(30), "the load should keep running after the move");

            Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the move, e.g. {string.Join(" | ", load.Failures.Take(3))}");
        }

        var view = await ProcessCluster.ViewAsync(third);
        Assert.Equal(3, view.GetProperty("activeSilos").GetInt32());
        Assert.Equal(200, ProcessCluster.TenantsBySilo(view).Values.Sum());

        // Moved tenants closed their old pools: the database holds exactly what the live activations own.
        await Eventually.TrueAsync(
            async () => await TestServers.CountConnectionsAsync(database) == await ProcessCluster.OwnedConnectionsAsync(third, refs),
            TimeSpan.FromSeconds(30),
            "connections to the tenant database should equal the pools of the live activations");
    }
}
