using Conduit.Model;

namespace Conduit.Options;

/// <summary>Limits per tier, bound from <c>Conduit:Tiers:{Free|Starter|Pro|Enterprise}</c>; defaults from <see cref="TierDefaults"/>.</summary>
public sealed class TierOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Tiers";

    /// <summary>FREE limits.</summary>
    public TierLimits Free { get; set; } = TierDefaults.Free;

    /// <summary>STARTER limits.</summary>
    public TierLimits Starter { get; set; } = TierDefaults.Starter;

    /// <summary>PRO limits.</summary>
    public TierLimits Pro { get; set; } = TierDefaults.Pro;

    /// <summary>ENTERPRISE limits.</summary>
    public TierLimits Enterprise { get; set; } = TierDefaults.Enterprise;

    /// <summary>The limits of <paramref name="tier"/>.</summary>
    public TierLimits For(Tier tier) => tier switch
    {
        Tier.Free => Free,
        Tier.Starter => Starter,
        Tier.Pro => Pro,
        Tier.Enterprise => Enterprise,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };
}
