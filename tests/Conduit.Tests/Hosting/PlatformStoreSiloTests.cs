using System.Net;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Npgsql;

namespace Conduit.Tests.Hosting;

/// <summary>The silo with <c>DATABASE_URL</c>: the registry lives in the platform schema, sealed, and survives a restart.</summary>
public sealed class PlatformStoreSiloTests
{
    [Fact]
    public async Task Silo_WithDatabaseUrl_StoresSealedRegistryThatSurvivesRestart()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        var key = CryptoKey.Generate().ToBase64();
        var settings = new Dictionary<string, string?> { ["DATABASE_URL"] = platform.ConnectionString, ["PG_META_CRYPTO_KEY"] = key };
        var projectRef = SiloApi.NewRef("ps");

        await using (var first = await ConduitSilo.StartAsync(settings))
        {
            await first.CreateProjectWithPostgresAsync(projectRef, "STARTER");
            Assert.Equal(HttpStatusCode.OK, (await first.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
            var health = await (await first.Http.GetAsync("/api/platform/health")).JsonAsync();
            Assert.Equal("postgresql", health.GetProperty("platformStore").GetProperty("kind").GetString());
        }

        var stored = await platform.ScalarAsync<string>("select connection_string_encrypted from platform.databases where project_ref = $1", projectRef);
        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.PostgresPassword, stored, StringComparison.Ordinal);

        await using var second = await ConduitSilo.StartAsync(settings);
        var response = await second.Admin.QueryAsync(projectRef, "select 2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("STARTER", (await (await second.Admin.GetAsync($"/api/platform/projects/{projectRef}")).JsonAsync()).GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Silo_WrongCryptoKey_DataCallIsSecretUnreadable()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        var projectRef = SiloApi.NewRef("pk");
        await using (var first = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = platform.ConnectionString, ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64() }))
        {
            await first.CreateProjectWithPostgresAsync(projectRef);
        }

        await using var second = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = platform.ConnectionString, ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64() });
        var response = await second.Admin.QueryAsync(projectRef, "select 1");

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "SECRET_UNREADABLE");
        Assert.Contains("PG_META_CRYPTO_KEY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloHealth_PlatformStoreDown_Returns503()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var forwarder = TcpForwarder.ToPostgres(platform.ConnectionString);
        forwarder.Start();
        var viaForwarder = new NpgsqlConnectionStringBuilder(platform.ConnectionString) { Port = forwarder.Port, Timeout = 2 }.ConnectionString;
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = viaForwarder, ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64() });
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/platform/health")).StatusCode);

        forwarder.Stop();
        var response = await silo.Http.GetAsync("/api/platform/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("down", body.GetProperty("platformStore").GetProperty("status").GetString());
        Assert.DoesNotContain(TestServers.PostgresPassword, body.GetRawText(), StringComparison.Ordinal);
    }
}
