using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>Idle cleanup and subscriptions, on a silo with a 1 s idle timeout and 30 s leases.</summary>
public sealed class RedisSubscriptionIdleTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private ConduitSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:IdleCleanup:IdleTimeout"] = "00:00:01",
        ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",
        ["Conduit:IdleCleanup:ReminderPeriod"] = "00:00:05",
        ["Conduit:DataPlane:RedisSubscriptionLease"] = "00:00:30",
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task IdleCleanup_WhileSubscribed_SkippedThenRunsOnceUnsubscribed()
    {
        var projectRef = await RedisProjects.CreateAsync(_silo);
        var grain = _silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
        var channel = $"{projectRef}:kept";
        var observer = new RecordingSubscriber();
        var reference = _silo.Grains.CreateObjectReference<IRedisSubscriber>(observer);
        await grain.RedisSubscribeAsync(channel, reference);

        // Several idle timeouts pass with no call at all: only the subscription keeps the project.
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.DoesNotContain(_silo.Logs.Lines, l => l.Contains($"Project {projectRef}: idle for", StringComparison.Ordinal));
        Assert.Equal(1, (await grain.RedisExecuteAsync(new RedisCommand("PUBLISH", [channel, "still here"]))).Number);
        await Eventually.TrueAsync(() => Task.FromResult(observer.Received.Count == 1), Within);

        Assert.True(await grain.RedisUnsubscribeAsync(channel, reference));
        await Eventually.TrueAsync(() => Task.FromResult(_silo.Logs.Lines.Any(l => l.Contains($"Project {projectRef}: idle for", StringComparison.Ordinal))), Within, "the project should be idle-cleaned once nobody listens");
        _silo.Grains.DeleteObjectReference<IRedisSubscriber>(reference);
    }
}
