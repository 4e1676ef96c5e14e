using Conduit.Client;
using Conduit.Errors;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Tests.Client;

public sealed class ConduitClientTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Client_OverTheGateway_RunsPostgresAndRedisAndGetsTypedErrors()
    {
        var silo = fixture.Silo;
        var projectRef = SiloApi.NewRef("c");
        await silo.CreateProjectWithPostgresAsync(projectRef);
        await silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        using var host = await silo.ConnectClientAsync();
        var project = host.Services.GetRequiredService<IConduit>().Project(projectRef);

        var result = await project.Postgres.QueryAsync("select $1::int * 2", 21);
        await project.Redis.SetAsync($"{projectRef}:k", "hello", TimeSpan.FromMinutes(1));
        var value = await project.Redis.GetAsync($"{projectRef}:k");
        var ttl = await project.Redis.TimeToLiveAsync($"{projectRef}:k");
        var counter = await project.Redis.IncrementAsync($"{projectRef}:n");
        var error = await Assert.ThrowsAsync<ConduitException>(() => project.Postgres.QueryAsync("select * from missing_table"));
        var stats = await project.GetStatsAsync();

        Assert.Equal(42, result.Rows[0][0]);
        Assert.Equal("hello", value);
        Assert.NotNull(ttl);
        Assert.Equal(1, counter);
        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.Equal("42P01", error.BackendCode);
        Assert.Equal(2, stats.Databases.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task Client_SiloGoneMidSession_CallFailsAsClusterUnavailableWithRetryHint()
    {
        var silo = await ConduitSilo.StartAsync();
        var projectRef = SiloApi.NewRef("gone");
        await silo.CreateProjectWithPostgresAsync(projectRef);
        using var host = await silo.ConnectClientAsync(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        var project = host.Services.GetRequiredService<IConduit>().Project(projectRef);
        await project.Postgres.QueryAsync("select 1");

        await silo.DisposeAsync();
        var error = await Assert.ThrowsAsync<ConduitException>(() => project.Postgres.QueryAsync("select 1"));

        Assert.Equal(ErrorCodes.ClusterUnavailable, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Project_InvalidRef_Throws()
    {
        var services = new ServiceCollection();
        services.AddConduitClient();
        using var provider = services.BuildServiceProvider();

        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<IConduit>().Project("Bad Ref"));
    }
}
