using System.Collections.Concurrent;
using System.Net.Http.Json;
using Conduit.Client;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>Pub/sub through the client library and grain observers on a silo with 2 s leases.</summary>
public sealed class RedisSubscriptionTests(ShortLeaseSiloFixture fixture) : IClassFixture<ShortLeaseSiloFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private async Task<(string Ref, RedisClient Redis)> NewProjectAsync(string tier = "PRO")
    {
        var projectRef = await RedisProjects.CreateAsync(fixture.Silo, tier);
        return (projectRef, fixture.Conduit.Project(projectRef).Redis);
    }

    [Fact]
    public async Task SubscribeAsync_ManyMessages_HandlerGetsThemInOrder()
    {
        var (p, redis) = await NewProjectAsync();
        var channel = $"{p}:ordered";
        var received = new ConcurrentQueue<(string Channel, string Message)>();
        await using var subscription = await redis.SubscribeAsync(channel, (c, m) => received.Enqueue((c, m)));

        for (var i = 0; i < 50; i++)
        {
            await redis.PublishAsync(channel, $"m{i}");
        }

        await Eventually.TrueAsync(() => Task.FromResult(received.Count == 50), Within);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), received.Select(r => r.Message));
        Assert.All(received, r => Assert.Equal(channel, r.Channel));
        Assert.Equal(channel, subscription.Channel);
        Assert.Equal(TimeSpan.FromSeconds(2), subscription.Lease);
    }

    [Fact]
    public async Task SubscribeAsync_PastSeveralLeases_RenewsAndKeepsReceiving()
    {
        var (p, redis) = await NewProjectAsync();
        var channel = $"{p}:renewed";
        var received = new ConcurrentQueue<string>();
        await using var subscription = await redis.SubscribeAsync(channel, (_, m) => received.Enqueue(m));

        // Three leases go by: only the background renewals keep the subscription.
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(1, await redis.PublishAsync(channel, "still here"));
        await Eventually.TrueAsync(() => Task.FromResult(received.Contains("still here")), Within);
        Assert.Null(subscription.LastRenewalError);
    }

    [Fact]
    public async Task DisposeAsync_Subscription_UnsubscribesFromRedis()
    {
        var (p, redis) = await NewProjectAsync();
        var channel = $"{p}:bye";
        var subscription = await redis.SubscribeAsync(channel, (_, _) => { });
        Assert.Equal(1, await redis.PublishAsync(channel, "x"));

        await subscription.DisposeAsync();
        await subscription.DisposeAsync();

        Assert.Equal(0, await redis.PublishAsync(channel, "y"));
    }

    [Fact]
    public async Task SubscribeAsync_HandlerThrows_SubscriptionSurvives()
    {
        var (p, redis) = await NewProjectAsync();
        var channel = $"{p}:throws";
        var received = new ConcurrentQueue<string>();
        await using var subscription = await redis.SubscribeAsync(channel, (_, m) =>
        {
            received.Enqueue(m);
            if (m == "bad")
            {
                throw new InvalidOperationException("handler failure");
            }
        });

        await redis.PublishAsync(channel, "bad");
        await redis.PublishAsync(channel, "good");

        await Eventually.TrueAsync(() => Task.FromResult(received.Contains("good")), Within);
        Assert.Equal(1, subscription.HandlerFailures);
        Assert.Equal(1, await redis.PublishAsync(channel, "again"));
    }

    [Fact]
    public async Task RedisSubscribeAsync_LeaseNotRenewed_ObserverDroppedAndRedisUnsubscribed()
    {
        var (p, redis) = await NewProjectAsync();
        var channel = $"{p}:lapsed";
        var observer = new RecordingSubscriber();
        var reference = fixture.Silo.Grains.CreateObjectReference<IRedisSubscriber>(observer);
        var grain = fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(p);

        var lease = await grain.RedisSubscribeAsync(channel, reference);
        Assert.Equal(TimeSpan.FromSeconds(2), lease.Duration);
        Assert.Equal(1, await redis.PublishAsync(channel, "while leased"));
        await Eventually.TrueAsync(() => Task.FromResult(observer.Received.Count == 1), Within);

        await Eventually.TrueAsync(async () => await redis.PublishAsync(channel, "after") == 0, Within, "the lease should run out and end the Redis subscription");
        Assert.Contains(fixture.Silo.Logs.Lines, l => l.Contains($"Project {p}: dropped a subscriber of Redis channel '{channel}': its lease expired", StringComparison.Ordinal));
        fixture.Silo.Grains.DeleteObjectReference<IRedisSubscriber>(reference);
    }

    [Fact]
    public async Task Subscription_TierChange_SubscribesAgainOnTheNewPool()
    {
        var (p, redis) = await NewProjectAsync("STARTER");
        var channel = $"{p}:tier";
        var received = new ConcurrentQueue<string>();
        await using var subscription = await redis.SubscribeAsync(channel, (_, m) => received.Enqueue(m));

        var response = await fixture.Silo.Admin.PutAsJsonAsync($"/api/platform/projects/{p}/tier", new { tier = "PRO" });
        response.EnsureSuccessStatusCode();

        // The old multiplexer closes after the change; the sweep (or the next renewal) subscribes on the new one.
        await Eventually.TrueAsync(async () =>
        {
            await redis.PublishAsync(channel, "after the change");
            await Task.Delay(100);
            return received.Contains("after the change");
        }, Within);
    }
}
