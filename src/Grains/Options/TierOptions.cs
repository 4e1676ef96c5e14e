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

    /// <summary>
    /// The longest a data call may take inside a silo under these limits: the silo's admission and the
    /// tier's limiter may each make it wait the acquire timeout, opening a connection may take the connect
    /// timeout, and the statement may run the query timeout. Orleans' response timeout must exceed it, or a
    /// legal ENTERPRISE query (120 s) would fail in Orleans (30 s by default) while still running.
    /// </summary>
    public TimeSpan LongestCall(DataPlaneOptions dataPlane)
    {
        ArgumentNullException.ThrowIfNull(dataPlane);
        var longest = new[] { Free, Starter, Pro, Enterprise }.Max(l => (2 * l.AcquireTimeout) + l.QueryTimeout);
        return longest + dataPlane.ConnectTimeout;
    }

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
