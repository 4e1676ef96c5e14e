using System.ComponentModel.DataAnnotations;

namespace Conduit.Options;

/// <summary>Silo-wide admission, bound from <c>Conduit:Admission</c>: when the whole silo is busy, higher tiers go first.</summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Admission";

    /// <summary>
    /// Most data operations running at once in this silo, across all tenants. Past it, waiting operations
    /// are admitted by tier priority (critical, high, medium, low), oldest first within a tier.
    /// Default 2000; range 1–1000000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxConcurrentOperations { get; set; } = 2000;
}
