using Conduit.Bench.Infrastructure;
using Conduit.Client;
using StackExchange.Redis;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// The three ways the Redis scenarios reach the seeded keys from this frontend process: a direct multiplexer,
/// one through twemproxy, and an ENTERPRISE tenant's Redis through a silo process and the Orleans client.
/// </summary>
internal sealed class RedisPaths : IAsyncDisposable
{
    private readonly SiloProcess _silo;
    private readonly ConduitFrontend _frontend;
    private readonly ConnectionMultiplexer _direct;
    private readonly ConnectionMultiplexer _viaProxy;

    private RedisPaths(SiloProcess silo, ConduitFrontend frontend, RedisClient conduit, ConnectionMultiplexer direct, ConnectionMultiplexer viaProxy)
    {
        _silo = silo;
        _frontend = frontend;
        _direct = direct;
        _viaProxy = viaProxy;
        Conduit = conduit;
    }

    /// <summary>The tenant's Redis through Conduit.</summary>
    public RedisClient Conduit { get; }

    /// <summary>Redis through the direct multiplexer.</summary>
    public IDatabase Direct => _direct.GetDatabase();

    /// <summary>Redis through twemproxy.</summary>
    public IDatabase ViaProxy => _viaProxy.GetDatabase();

    /// <summary>Seeds the keys and opens every path; <paramref name="scenario"/> names the silo and the tenant (<c>bench-{scenario}</c>), <paramref name="settings"/> configure the silo.</summary>
    public static async Task<RedisPaths> OpenAsync(BenchContext context, string scenario, IDictionary<string, string> settings)
    {
        var redis = await context.RedisAsync().ConfigureAwait(false);
        var proxy = await context.TwemproxyAsync().ConfigureAwait(false);
        await RedisGetScenario.SeedAsync(redis.Database).ConfigureAwait(false);
        var silo = await context.StartSiloAsync(scenario, settings).ConfigureAwait(false);
        var frontend = await BenchContext.ConnectAsync(silo, scenario, context.Options.RedisInFlight).ConfigureAwait(false);
        var projectRef = "bench-" + scenario;
        await silo.CreateProjectAsync(projectRef, "ENTERPRISE").ConfigureAwait(false);
        await silo.AddDatabaseAsync(projectRef, "redis", redis.Configuration()).ConfigureAwait(false);
        var direct = await ConnectionMultiplexer.ConnectAsync(redis.Configuration(extra: "name=bench-direct")).ConfigureAwait(false);
        var viaProxy = await ConnectionMultiplexer.ConnectAsync(redis.Configuration(proxy.Port, "proxy=Twemproxy")).ConfigureAwait(false);
        return new RedisPaths(silo, frontend, frontend.Conduit.Project(projectRef).Redis, direct, viaProxy);
    }

    public async ValueTask DisposeAsync()
    {
        await _viaProxy.DisposeAsync().ConfigureAwait(false);
        await _direct.DisposeAsync().ConfigureAwait(false);
        await _frontend.DisposeAsync().ConfigureAwait(false);
        await _silo.DisposeAsync().ConfigureAwait(false);
    }
}
