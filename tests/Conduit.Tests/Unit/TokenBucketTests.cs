using Conduit.Errors;
using Conduit.Model;
using Conduit.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests.Unit;

public sealed class TokenBucketTests
{
    [Fact]
    public void Take_BeyondBurst_RateLimitedUntilRefilled()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(Tier.Free, requestsPerSecond: 10, burst: 3, time);

        bucket.Take();
        bucket.Take();
        bucket.Take();
        var error = Assert.Throws<ConduitException>(bucket.Take);

        Assert.Equal(ErrorCodes.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(100), error.RetryAfter);
        time.Advance(TimeSpan.FromMilliseconds(100));
        bucket.Take();
        Assert.Throws<ConduitException>(bucket.Take);
    }

    [Fact]
    public void Take_AfterLongIdle_RefillsOnlyToBurst()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(Tier.Pro, requestsPerSecond: 100, burst: 2, time);
        bucket.Take();
        bucket.Take();

        time.Advance(TimeSpan.FromHours(1));
        bucket.Take();
        bucket.Take();

        Assert.Throws<ConduitException>(bucket.Take);
    }
}
