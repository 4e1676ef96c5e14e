using System.Net;
using Conduit.Errors;
using Conduit.Mongo;
using Conduit.MongoTestServer;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using MongoDB.Bson;

namespace Conduit.Tests.Mongo;

/// <summary>
/// Failures a real server cannot produce on demand (refused, reset, stalled connections), so these
/// always run against a test server of their own, even when <c>MONGODB_URL</c> is set. The silo's
/// MongoDB breaker opens after 2 calls at 50 % failures and stays open 1 s.
/// </summary>
[Collection(MongoSiloFixture.Collection)]
public sealed class MongoFaultTests(MongoSiloFixture fixture)
{
    private ConduitSilo Silo => fixture.Silo;

    [Theory]
    [InlineData(MongoFault.Refuse)]
    [InlineData(MongoFault.Reset)]
    public async Task Breaker_ServerFailsThenRecovers_OpensThenCloses(MongoFault fault)
    {
        await using var server = await MongoWireTestServer.StartAsync();
        var (p, grain) = await ProjectOnAsync(server, "STARTER");
        await grain.MongoExecuteAsync(Find());

        server.Fault = fault;
        var codes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add((await Assert.ThrowsAsync<ConduitException>(() => grain.MongoExecuteAsync(Find()))).Code);
        }

        Assert.Equal(ErrorCodes.BackendUnavailable, codes[0]);
        Assert.Equal(ErrorCodes.CircuitOpen, codes[^1]);
        Assert.Equal(BreakerState.Open, (await grain.GetStatsAsync()).Databases.Single().Breaker);
        using var rest = await Silo.Admin.MongoAsync(p, "app", "c", "find");
        var problem = await rest.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "CIRCUIT_OPEN");
        Assert.InRange(problem.GetProperty("retryAfterSeconds").GetInt32(), 0, 1);

        server.Fault = MongoFault.None;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await grain.MongoExecuteAsync(Find());
                return true;
            }
            catch (ConduitException e) when (e.Code is ErrorCodes.CircuitOpen or ErrorCodes.BackendUnavailable)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the breaker should close once the server answers again");

        Assert.Equal(BreakerState.Closed, (await grain.GetStatsAsync()).Databases.Single().Breaker);
        Assert.Contains(Silo.Logs.Lines, l => l.Contains("mongodb circuit breaker is now Open", StringComparison.Ordinal) && l.Contains(p, StringComparison.Ordinal));
        Assert.Contains(Silo.Logs.Lines, l => l.Contains("mongodb circuit breaker is now Closed", StringComparison.Ordinal) && l.Contains(p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Find_ServerStalls_QueryTimeoutThenRecovers()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        var (p, grain) = await ProjectOnAsync(server, "FREE");
        // FREE allows 2 s here; a first call on a busy machine may need longer to open the pool.
        await SucceedsEventuallyAsync(grain);
        await Eventually.TrueAsync(async () => (await grain.GetStatsAsync()).Databases.Single().Breaker == BreakerState.Closed, TimeSpan.FromSeconds(10));

        server.Fault = MongoFault.Stall;
        using var response = await Silo.Admin.MongoAsync(p, "app", "c", "find");

        var problem = await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, "QUERY_TIMEOUT");
        Assert.Contains("query timeout of 2 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        server.Fault = MongoFault.None;
        await SucceedsEventuallyAsync(grain);
    }

    [Fact]
    public async Task Health_MongoUpThenRefusing_HealthyThenUnhealthy()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        var (p, grain) = await ProjectOnAsync(server, "STARTER");

        var healthy = await grain.CheckHealthAsync();
        server.Fault = MongoFault.Refuse;
        var unhealthy = await grain.CheckHealthAsync();
        using var rest = await Silo.Admin.GetAsync($"/api/platform/projects/{p}/health");

        Assert.Equal(HealthStatus.Healthy, healthy.Databases.Single().Status);
        var failed = unhealthy.Databases.Single();
        Assert.Equal((HealthStatus.Unhealthy, ErrorCodes.BackendUnavailable), (failed.Status, failed.ErrorCode));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
    }

    [Fact]
    public async Task Logs_MongoPoolAndFailures_NeverCarryThePassword()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        const string password = "Mongo-Secret-7d1f";
        var p = SiloApi.NewRef("f");
        await Silo.CreateProjectAsync(p, "STARTER");
        // The test server does not authenticate, so credentials only matter for where they could leak.
        await Silo.AddDatabaseAsync(p, "mongodb", $"mongodb://app:{password}@127.0.0.1:{server.Port}/app?directConnection=true&authMechanism=PLAIN");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(p);

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.MongoExecuteAsync(Find()));
        using var project = await Silo.Admin.GetAsync($"/api/platform/projects/{p}");
        var body = await project.Content.ReadAsStringAsync();

        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}/app", body, StringComparison.Ordinal);
        Assert.DoesNotContain(password, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Silo.Logs.Lines, l => l.Contains(password, StringComparison.Ordinal));
    }

    private async Task<(string Ref, IProjectConnectionGrain Grain)> ProjectOnAsync(MongoWireTestServer server, string tier)
    {
        var p = SiloApi.NewRef("f");
        await Silo.CreateProjectAsync(p, tier);
        // Retries off: the call under test, not the driver's retry, is what meets the fault.
        await Silo.AddDatabaseAsync(p, "mongodb", $"mongodb://127.0.0.1:{server.Port}/app?directConnection=true&retryReads=false&retryWrites=false");
        return (p, Silo.Grains.GetGrain<IProjectConnectionGrain>(p));
    }

    private static Task SucceedsEventuallyAsync(IProjectConnectionGrain grain) => Eventually.TrueAsync(async () =>
    {
        try
        {
            await grain.MongoExecuteAsync(Find());
            return true;
        }
        catch (ConduitException e) when (e.IsTransient)
        {
            return false;
        }
    }, TimeSpan.FromSeconds(20), "calls should succeed once the server answers");

    private static MongoCommand Find() => new("app", "c", MongoOperation.Find, new BsonDocument("filter", new BsonDocument()).ToBson());
}
