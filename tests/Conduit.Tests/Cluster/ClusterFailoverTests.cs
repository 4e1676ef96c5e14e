using System.Diagnostics;
using Conduit.Client;
using Conduit.Errors;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Cluster;

/// <summary>Failover with silo processes: a killed or hung silo is declared dead, its tenants answer again from the survivors, nothing leaks.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class ClusterFailoverTests
{
    /// <summary>Both silos own tenants and the rebalancer has moved none for this long (over two of its 3 s cycles).</summary>
    private static readonly TimeSpan SettledFor = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task KilledSilo_UnderLoad_EveryTenantAnswersAgainAndNoConnectionLeaks()
    {
        await using var cluster = await ProcessCluster.StartAsync(2);
        var (survivor, victim) = (cluster.Silos[0], cluster.Silos[1]);
        var (refs, database) = await cluster.CreatePostgresTenantsAsync(200, "kill");
        await ProcessCluster.QueryAllAsync(survivor, refs);

        // A frontend's client knows both gateways; it must keep working through the survivor.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddConduitClient(o =>
        {
            o.Gateways.Add($"127.0.0.1:{survivor.GatewayPort}");
            o.Gateways.Add($"127.0.0.1:{victim.GatewayPort}");
        });
        using var frontend = builder.Build();
        await frontend.StartAsync();
        var conduit = frontend.Services.GetRequiredService<IConduit>();
        await ProcessCluster.WaitForSettledSpreadAsync(survivor, cluster.Silos, SettledFor, TimeSpan.FromSeconds(90));

        await using (var load = new TenantLoad([survivor], refs))
        {
            var killedAt = Stopwatch.GetTimestamp();
            victim.Kill();

            await Eventually.TrueAsync(() => Task.FromResult(load.AllAnsweredSince(killedAt)), TimeSpan.FromSeconds(30), "every tenant should answer again after the kill", () => load.Describe(killedAt) + "\nsurvivor's log:\n" + survivor.OutputTail(40));
        }

        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await Task.WhenAll(refs.Select(r => conduit.Project(r).Postgres.QueryAsync("select 1")));
                    return true;
                }
                catch (ConduitException e) when (e.Code == ErrorCodes.ClusterUnavailable)
                {
                    // The client library turns Orleans' failures for a lost silo into this code.
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "the client should reach every tenant through the surviving gateway");
        await frontend.StopAsync();

        var view = await ProcessCluster.ViewAsync(survivor);
        Assert.Equal("dead", ProcessCluster.StatusOf(view, victim));
        Assert.Equal(200, ProcessCluster.TenantsBySilo(view).GetValueOrDefault(survivor.Endpoint));

        // The dead silo's sockets were closed by the kernel; PostgreSQL drops those backends, so what is
        // left is exactly what the tenants' new activations own.
        await Eventually.TrueAsync(
            async () => await TestServers.CountConnectionsAsync(database) == await ProcessCluster.OwnedConnectionsAsync(survivor, refs),
            TimeSpan.FromSeconds(30),
            "connections to the tenant database should equal the pools of the live activations");
    }

    [Fact]
    public async Task HungSilo_DeclaredDead_TenantsMoveAndTheSiloExitsWhenItResumes()
    {
        await using var cluster = await ProcessCluster.StartAsync(2);
        var (survivor, victim) = (cluster.Silos[0], cluster.Silos[1]);
        var (refs, _) = await cluster.CreatePostgresTenantsAsync(40, "hang");
        await ProcessCluster.QueryAllAsync(survivor, refs);
        await ProcessCluster.WaitForSettledSpreadAsync(survivor, cluster.Silos, SettledFor, TimeSpan.FromSeconds(90));

        await using (var load = new TenantLoad([survivor], refs))
        {
            var stoppedAt = Stopwatch.GetTimestamp();
            await victim.SuspendAsync();

            await Eventually.TrueAsync(
                async () => ProcessCluster.StatusOf(await ProcessCluster.ViewAsync(survivor), victim) == "dead",
                TimeSpan.FromSeconds(30),
                "the hung silo should be declared dead");
            await Eventually.TrueAsync(() => Task.FromResult(load.AllAnsweredSince(stoppedAt)), TimeSpan.FromSeconds(30), "every tenant should answer again from the survivor", () => load.Describe(stoppedAt) + "\nsurvivor's log:\n" + survivor.OutputTail(40));
        }

        await victim.ResumeAsync();

        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(30)), "a silo declared dead must exit when it resumes, not serve");
        Assert.Contains("I have been told I am dead", victim.Output, StringComparison.OrdinalIgnoreCase);
        foreach (var projectRef in refs)
        {
            var stats = await (await survivor.Admin.GetAsync($"/api/platform/projects/{projectRef}/stats")).JsonAsync();
            Assert.Contains($"{survivor.Endpoint}:", stats.GetProperty("silo").GetString(), StringComparison.Ordinal);
        }
    }
}
