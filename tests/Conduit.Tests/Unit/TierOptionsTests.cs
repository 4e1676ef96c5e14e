using Conduit.Model;
using Conduit.Options;

namespace Conduit.Tests.Unit;

public sealed class TierOptionsTests
{
    [Theory]
    [InlineData(Tier.Free, 2, 5, 20, 10, TierPriority.Low)]
    [InlineData(Tier.Starter, 5, 10, 50, 30, TierPriority.Medium)]
    [InlineData(Tier.Pro, 10, 50, 200, 60, TierPriority.High)]
    [InlineData(Tier.Enterprise, 20, 100, 500, 120, TierPriority.Critical)]
    public void Defaults_MatchTheProductsTiers(Tier tier, int min, int max, int concurrent, int timeoutSeconds, TierPriority priority)
    {
        var limits = new TierOptions().For(tier);

        Assert.Equal(min, limits.MinPoolSize);
        Assert.Equal(max, limits.MaxPoolSize);
        Assert.Equal(concurrent, limits.MaxConcurrent);
        Assert.Equal(TimeSpan.FromSeconds(timeoutSeconds), limits.QueryTimeout);
        Assert.Equal(priority, limits.Priority);
    }

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new TierOptionsValidator().Validate(null, new TierOptions()).Succeeded);
    }

    [Fact]
    public void Validate_MinAboveMax_FailsNamingTheKeys()
    {
        var options = new TierOptions();
        options.Free.MinPoolSize = 7;

        var result = new TierOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Conduit:Tiers:Free:MinPoolSize (7) must not exceed Conduit:Tiers:Free:MaxPoolSize (5).", result.Failures!);
    }

    [Fact]
    public void Validate_OutOfRange_FailsNamingTheKey()
    {
        var options = new TierOptions();
        options.Pro.MaxConcurrent = 0;

        var result = new TierOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Conduit:Tiers:Pro:MaxConcurrent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("free", Tier.Free)]
    [InlineData("ENTERPRISE", Tier.Enterprise)]
    [InlineData(" Pro ", Tier.Pro)]
    public void TierWireNames_ParseCaseInsensitively(string text, Tier expected)
    {
        Assert.True(Tiers.TryParse(text, out var tier));
        Assert.Equal(expected, tier);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("GOLD")]
    [InlineData(null)]
    public void TierWireNames_RejectOthers(string? text)
    {
        Assert.False(Tiers.TryParse(text, out _));
    }
}
