using System.ComponentModel.DataAnnotations;

namespace Conduit.Silo.Metrics;

/// <summary>What <c>/metrics</c> exports and how many per-project series it may hold, bound from <c>Conduit:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Metrics";

    /// <summary>
    /// Most projects on this silo that get series of their own (<c>project="&lt;ref&gt;"</c>); the rest are
    /// summed under <c>project="_other"</c>. Default 1000; range 0–100000 (0: every project is summed).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxProjectSeries { get; set; } = 1000;

    /// <summary>
    /// Comma-separated tiers whose projects may get series of their own, e.g. <c>PRO,ENTERPRISE</c>.
    /// Default every tier.
    /// </summary>
    public string ProjectSeriesTiers { get; set; } = "FREE,STARTER,PRO,ENTERPRISE";

    /// <summary>Whether <c>/metrics</c> and <c>/api/platform/metrics</c> need the admin key (Bearer). Default false.</summary>
    public bool RequireAdminKey { get; set; }

    /// <summary>
    /// Comma-separated .NET meters exported with their tags (metric names prefixed with the meter's name,
    /// e.g. <c>microsoft_orleans_</c>). Default <c>Microsoft.Orleans</c>; empty exports none.
    /// </summary>
    public string Meters { get; set; } = "Microsoft.Orleans";

    /// <summary>
    /// Whether Npgsql's meter is exported, summed over all tenant pools (its per-pool series would grow with
    /// the number of projects). Default true.
    /// </summary>
    public bool ExportNpgsqlMeter { get; set; } = true;
}
