using Conduit.Model;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Metrics;

/// <summary>Checks <see cref="MetricsOptions.ProjectSeriesTiers"/> names only known tiers.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var tier in Split(options.ProjectSeriesTiers))
        {
            if (!Tiers.TryParse(tier, out _))
            {
                return ValidateOptionsResult.Fail($"{MetricsOptions.Section}:ProjectSeriesTiers: '{tier}' is not a tier; use a comma-separated list of FREE, STARTER, PRO, ENTERPRISE.");
            }
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>The tiers named by <paramref name="list"/> (unknown names are skipped; the validator rejects them at start).</summary>
    public static HashSet<Tier> ParseTiers(string? list)
    {
        var tiers = new HashSet<Tier>();
        foreach (var item in Split(list))
        {
            if (Tiers.TryParse(item, out var tier))
            {
                tiers.Add(tier);
            }
        }

        return tiers;
    }

    /// <summary>The non-empty, trimmed items of a comma-separated list.</summary>
    public static string[] Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
