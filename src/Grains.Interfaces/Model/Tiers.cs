namespace Conduit.Model;

/// <summary>The wire names of <see cref="Tier"/>: <c>FREE</c>, <c>STARTER</c>, <c>PRO</c>, <c>ENTERPRISE</c>.</summary>
public static class Tiers
{
    /// <summary>Every tier, lowest first.</summary>
    public static IReadOnlyList<Tier> All { get; } = [Tier.Free, Tier.Starter, Tier.Pro, Tier.Enterprise];

    /// <summary>The upper-case wire name of a tier.</summary>
    public static string ToWireName(this Tier tier) => tier switch
    {
        Tier.Free => "FREE",
        Tier.Starter => "STARTER",
        Tier.Pro => "PRO",
        Tier.Enterprise => "ENTERPRISE",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    /// <summary>Parses a wire name (case-insensitive); returns false for anything else, including numbers.</summary>
    public static bool TryParse(string? value, out Tier tier)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "FREE":
                tier = Tier.Free;
                return true;
            case "STARTER":
                tier = Tier.Starter;
                return true;
            case "PRO":
                tier = Tier.Pro;
                return true;
            case "ENTERPRISE":
                tier = Tier.Enterprise;
                return true;
            default:
                tier = default;
                return false;
        }
    }
}
