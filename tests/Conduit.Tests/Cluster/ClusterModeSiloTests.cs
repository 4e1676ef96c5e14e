using System.Net;
using Conduit.Secrets;
using Conduit.Silo.Hosting;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;

namespace Conduit.Tests.Cluster;

/// <summary>Starting in cluster mode, and the cluster view of a single silo.</summary>
public sealed class ClusterModeSiloTests
{
    [Fact]
    public async Task Start_ClusterModeOnUnmigratedDatabase_RefusesNamingMigrate()
    {
        await using var platform = await PlatformDatabase.CreateAsync(migrate: false);

        var error = await Assert.ThrowsAsync<StartupException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
        }));

        Assert.Contains("run `Conduit.Silo migrate`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.PostgresPassword, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONDUIT_SILO_PORT", "70000")]
    [InlineData("CONDUIT_GATEWAY_PORT", "gateway")]
    public async Task Start_InvalidPort_RefusesNamingTheVariable(string variable, string value)
    {
        var error = await Assert.ThrowsAsync<StartupException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?> { [variable] = value }));

        Assert.Equal($"{variable} must be a port number from 1 to 65535, not '{value}'.", error.Message);
    }

    [Fact]
    public async Task Start_ClusterModeWithTooSmallOrleansPool_RefusesNamingTheKey()
    {
        await using var platform = await PlatformDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<StartupException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:Cluster:OrleansPoolSize"] = "1",
        }));

        Assert.StartsWith("Conduit:Cluster:OrleansPoolSize: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterView_ClusterModeSilo_ListsItselfActiveWithItsTenants()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:ClusterId"] = "view-test",
        });
        var projectRef = SiloApi.NewRef("cv");
        await silo.CreateProjectAsync(projectRef, "FREE");
        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/stats")).StatusCode);

        var view = await (await silo.Admin.GetAsync("/api/platform/cluster")).JsonAsync();

        Assert.Equal("view-test", view.GetProperty("clusterId").GetString());
        Assert.Equal("cluster", view.GetProperty("mode").GetString());
        Assert.Equal(1, view.GetProperty("activeSilos").GetInt32());
        var only = Assert.Single(view.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", only.GetProperty("status").GetString());
        Assert.Equal(silo.GatewayPort, only.GetProperty("gatewayPort").GetInt32());
        Assert.Equal(1, only.GetProperty("tenantActivations").GetInt32());
        Assert.Equal(view.GetProperty("servedBy").GetString(), only.GetProperty("address").GetString());
        Assert.Equal(1L, await platform.ScalarAsync<long>("SELECT count(*) FROM orleans.membership WHERE deployment_id = 'view-test' AND status = 3"));
    }

    [Fact]
    public async Task ClusterView_WithoutAdminKey_IsUnauthorized()
    {
        await using var silo = await ConduitSilo.StartAsync();

        await (await silo.Http.GetAsync("/api/platform/cluster")).AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var view = await (await silo.Admin.GetAsync("/api/platform/cluster")).JsonAsync();
        Assert.Equal("embedded", view.GetProperty("mode").GetString());
    }
}
