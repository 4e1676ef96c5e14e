using System.Net;
using Conduit.Errors;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary>Grain observers on a default silo (60 s leases): fan-out, renewal, unsubscribe, failures, tier bound, validation.</summary>
public sealed class RedisPubSubTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private ConduitSilo Silo => fixture.Silo;

    // Orleans holds observer objects weakly: the test keeps every one it subscribes alive.
    private readonly List<RecordingSubscriber> _observers = [];

    private IRedisSubscriber Reference(RecordingSubscriber observer)
    {
        _observers.Add(observer);
        return Silo.Grains.CreateObjectReference<IRedisSubscriber>(observer);
    }

    private async Task<(string Ref, IProjectConnectionGrain Grain)> NewProjectAsync(string tier = "PRO")
    {
        var projectRef = await RedisProjects.CreateAsync(Silo, tier);
        return (projectRef, Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef));
    }

    private static async Task<long> PublishAsync(IProjectConnectionGrain grain, string channel, string message) =>
        (await grain.RedisExecuteAsync(new RedisCommand("PUBLISH", [channel, message]))).Number;

    [Fact]
    public async Task RedisSubscribeAsync_TwoObservers_OneRedisSubscriptionFansOutToBoth()
    {
        var (p, grain) = await NewProjectAsync();
        var channel = $"{p}:fan";
        var first = new RecordingSubscriber();
        var second = new RecordingSubscriber();

        var lease = await grain.RedisSubscribeAsync(channel, Reference(first));
        await grain.RedisSubscribeAsync(channel, Reference(second));

        Assert.Equal(new RedisSubscriptionLease(channel, TimeSpan.FromSeconds(60)), lease);
        Assert.Equal(1, await PublishAsync(grain, channel, "to both"));
        await Eventually.TrueAsync(() => Task.FromResult(first.Received.Count == 1 && second.Received.Count == 1), Within);
        Assert.Equal((channel, "to both"), first.Received[0]);
        Assert.Equal((channel, "to both"), second.Received[0]);
    }

    [Fact]
    public async Task RedisSubscribeAsync_SameObserverAgain_RenewsWithoutDuplicates()
    {
        var (p, grain) = await NewProjectAsync();
        var channel = $"{p}:renew";
        var observer = new RecordingSubscriber();
        var reference = Reference(observer);

        await grain.RedisSubscribeAsync(channel, reference);
        await grain.RedisSubscribeAsync(channel, reference);
        await PublishAsync(grain, channel, "once");
        await PublishAsync(grain, channel, "marker");

        await Eventually.TrueAsync(() => Task.FromResult(observer.Received.Any(r => r.Message == "marker")), Within);
        Assert.Equal(["once", "marker"], observer.Received.Select(r => r.Message));
    }

    [Fact]
    public async Task RedisUnsubscribeAsync_LastObserver_EndsTheRedisSubscription()
    {
        var (p, grain) = await NewProjectAsync();
        var channel = $"{p}:leave";
        var first = Reference(new RecordingSubscriber());
        var second = Reference(new RecordingSubscriber());
        await grain.RedisSubscribeAsync(channel, first);
        await grain.RedisSubscribeAsync(channel, second);

        Assert.True(await grain.RedisUnsubscribeAsync(channel, first));
        Assert.Equal(1, await PublishAsync(grain, channel, "one left"));
        Assert.True(await grain.RedisUnsubscribeAsync(channel, second));
        Assert.False(await grain.RedisUnsubscribeAsync(channel, second));

        Assert.Equal(0, await PublishAsync(grain, channel, "nobody"));
    }

    [Fact]
    public async Task OnMessage_Fails_ObserverDroppedOthersKeepReceiving()
    {
        var (p, grain) = await NewProjectAsync();
        var channel = $"{p}:fails";
        var failing = new RecordingSubscriber(fail: true);
        var healthy = new RecordingSubscriber();
        await grain.RedisSubscribeAsync(channel, Reference(failing));
        await grain.RedisSubscribeAsync(channel, Reference(healthy));

        await PublishAsync(grain, channel, "first");
        await PublishAsync(grain, channel, "second");

        await Eventually.TrueAsync(() => Task.FromResult(healthy.Received.Count == 2), Within);
        Assert.Equal(1, failing.Calls);
        Assert.Contains(Silo.Logs.Lines, l => l.Contains($"Project {p}: dropped a subscriber of Redis channel '{channel}': its OnMessage call failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnMessage_OnlyObserverFails_RedisSubscriptionEnds()
    {
        var (p, grain) = await NewProjectAsync();
        var channel = $"{p}:alone";
        await grain.RedisSubscribeAsync(channel, Reference(new RecordingSubscriber(fail: true)));

        Assert.Equal(1, await PublishAsync(grain, channel, "boom"));

        await Eventually.TrueAsync(async () => await PublishAsync(grain, channel, "anyone?") == 0, Within);
    }

    [Fact]
    public async Task RedisSubscribeAsync_ChannelNamesAreLiteral_PatternsDoNotMatch()
    {
        var (p, grain) = await NewProjectAsync();
        var observer = new RecordingSubscriber();
        await grain.RedisSubscribeAsync($"{p}:news.*", Reference(observer));

        Assert.Equal(0, await PublishAsync(grain, $"{p}:news.sports", "not for the pattern"));
        Assert.Equal(1, await PublishAsync(grain, $"{p}:news.*", "for the literal name"));

        await Eventually.TrueAsync(() => Task.FromResult(observer.Received.Count == 1), Within);
        Assert.Equal("for the literal name", observer.Received[0].Message);
    }

    [Fact]
    public async Task RedisSubscribeAsync_BeyondTierLimit_SubscriptionLimitUntilOneLeaves()
    {
        var (p, grain) = await NewProjectAsync("FREE");
        var references = new List<IRedisSubscriber>();
        for (var i = 0; i < 10; i++)
        {
            var reference = Reference(new RecordingSubscriber());
            references.Add(reference);
            await grain.RedisSubscribeAsync($"{p}:c{i % 3}", reference);
        }

        var extra = Reference(new RecordingSubscriber());
        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisSubscribeAsync($"{p}:c0", extra));
        await grain.RedisSubscribeAsync($"{p}:c0", references[0]);
        await grain.RedisUnsubscribeAsync($"{p}:c1", references[1]);
        await grain.RedisSubscribeAsync($"{p}:c0", extra);

        Assert.Equal(ErrorCodes.SubscriptionLimit, error.Code);
        Assert.Equal("Tier FREE allows 10 Redis subscriptions per project and 10 are active; unsubscribe from a channel or move the project to a higher tier.", error.Message);
    }

    [Fact]
    public async Task Subscribe_OverRestBeyondTierLimit_Returns429SubscriptionLimit()
    {
        var (p, grain) = await NewProjectAsync("FREE");
        for (var i = 0; i < 10; i++)
        {
            await grain.RedisSubscribeAsync($"{p}:full", Reference(new RecordingSubscriber()));
        }

        using var response = await Silo.Admin.GetAsync($"/api/platform/projects/{p}/redis/subscribe?channel={p}:full", HttpCompletionOption.ResponseHeadersRead);

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "SUBSCRIPTION_LIMIT");
    }

    [Theory]
    [InlineData("", "channel: a channel name is required.")]
    [InlineData(null, "channel: a channel name is required.")]
    [InlineData("257", "channel: a channel name has at most 256 characters; this one has 257.")]
    public async Task RedisSubscribeAsync_BadChannelName_InvalidRequestNamingChannel(string? channel, string message)
    {
        var (_, grain) = await NewProjectAsync();
        var name = channel == "257" ? new string('c', 257) : channel;

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisSubscribeAsync(name!, Reference(new RecordingSubscriber())));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task RedisSubscribeAsync_LongestChannelName_Accepted()
    {
        var (_, grain) = await NewProjectAsync();

        var lease = await grain.RedisSubscribeAsync(new string('c', 256), Reference(new RecordingSubscriber()));

        Assert.Equal(256, lease.Channel.Length);
    }

    [Fact]
    public async Task RedisSubscribeAsync_UnknownDatabase_DatabaseNotRegistered()
    {
        var (p, grain) = await NewProjectAsync();

        var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisSubscribeAsync($"{p}:x", Reference(new RecordingSubscriber()), "cache"));

        Assert.Equal(ErrorCodes.DatabaseNotRegistered, error.Code);
    }

    [Fact]
    public async Task RedisSubscribeAsync_FailedSubscribe_HoldsNoPlaceAgainstTheLimit()
    {
        var projectRef = SiloApi.NewRef("r");
        await Silo.CreateProjectAsync(projectRef, "FREE");
        await Silo.AddDatabaseAsync(projectRef, "redis", "127.0.0.1:1,connectTimeout=500");
        var grain = Silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);

        for (var i = 0; i < 12; i++)
        {
            var error = await Assert.ThrowsAsync<ConduitException>(() => grain.RedisSubscribeAsync($"{projectRef}:c{i}", Reference(new RecordingSubscriber())));
            Assert.NotEqual(ErrorCodes.SubscriptionLimit, error.Code);
        }
    }
}
