using System.Threading.RateLimiting;

namespace Conduit.Resilience;

/// <summary>An acquired lease that holds nothing, for limits that only count (the token bucket).</summary>
public sealed class NoLease : RateLimitLease
{
    private NoLease()
    {
    }

    /// <summary>The single instance.</summary>
    public static NoLease Instance { get; } = new();

    /// <inheritdoc />
    public override bool IsAcquired => true;

    /// <inheritdoc />
    public override IEnumerable<string> MetadataNames => [];

    /// <inheritdoc />
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = null;
        return false;
    }
}
