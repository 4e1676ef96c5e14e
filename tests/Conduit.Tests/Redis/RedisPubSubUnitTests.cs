using Conduit.Connectors.Redis;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Orleans.Runtime;

namespace Conduit.Tests.Redis;

/// <summary>No I/O: channel names, lease bookkeeping, ZADD scores, tier subscription limits.</summary>
public sealed class RedisPubSubUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Tier.Free, 10)]
    [InlineData(Tier.Starter, 50)]
    [InlineData(Tier.Pro, 200)]
    [InlineData(Tier.Enterprise, 1000)]
    public void TierDefaults_MaxSubscriptions_MatchTheTiers(Tier tier, int expected)
    {
        Assert.Equal(expected, new TierOptions().For(tier).MaxSubscriptions);
    }

    [Fact]
    public void TierOptionsValidator_NegativeMaxSubscriptions_FailsNamingTheKey()
    {
        var options = new TierOptions();
        options.Starter.MaxSubscriptions = -1;

        var result = new TierOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Conduit:Tiers:Starter:MaxSubscriptions", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("news.*")]
    [InlineData("with space and ünïcode")]
    public void RedisChannelNames_Valid_Accepted(string channel)
    {
        Assert.Equal(channel, RedisChannelNames.Validate(channel));
    }

    [Fact]
    public void RedisChannelNames_TooLong_RejectedWithLength()
    {
        var error = Assert.Throws<ConduitException>(() => RedisChannelNames.Validate(new string('x', 300)));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal("channel: a channel name has at most 256 characters; this one has 300.", error.Message);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-2e3")]
    [InlineData("inf")]
    [InlineData("+inf")]
    [InlineData("-INF")]
    public void RedisCommandTable_ZaddScores_Accepted(string score)
    {
        Assert.Equal("ZADD", RedisCommandTable.Validate("zadd", ["z", score, "m"]).Name);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("one")]
    public void RedisCommandTable_ZaddBadScore_InvalidRequestNamingTheArgument(string score)
    {
        var error = Assert.Throws<ConduitException>(() => RedisCommandTable.Validate("ZADD", ["z", score, "m"]));

        Assert.Equal("args[1]: a ZADD score must be a number.", error.Message);
    }

    [Fact]
    public void RedisChannelSubscription_Leases_RenewExpireAndSnapshot()
    {
        var subscription = new RedisChannelSubscription("default", "c");
        var first = GrainId.Create("test", "first");
        var second = GrainId.Create("test", "second");

        Assert.True(subscription.Renew(first, new RecordingSubscriber(), Now.AddSeconds(10)));
        Assert.True(subscription.Renew(second, new RecordingSubscriber(), Now.AddSeconds(5)));
        Assert.False(subscription.Renew(second, new RecordingSubscriber(), Now.AddSeconds(20)));

        Assert.Equal(2, subscription.Live(Now.AddSeconds(9)).Count);
        Assert.Equal([second], subscription.Live(Now.AddSeconds(10)).Select(l => l.Id));
        Assert.Equal([first], subscription.RemoveExpired(Now.AddSeconds(15)));
        Assert.Equal(1, subscription.Count);
        Assert.True(subscription.Contains(second));
        Assert.True(subscription.Remove(second));
        Assert.False(subscription.Remove(second));
        Assert.Equal(0, subscription.Count);
        Assert.False(subscription.IsListeningOn(null));
    }
}
