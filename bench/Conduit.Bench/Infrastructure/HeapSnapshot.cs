namespace Conduit.Bench.Infrastructure;

/// <summary>A process's live managed heap: total bytes, object count and the per-type totals (largest first).</summary>
internal sealed record HeapSnapshot(long Bytes, long Objects, IReadOnlyList<(long Bytes, long Count, string Type)> Types)
{
    /// <summary>Per-type growth from <paramref name="before"/> to this snapshot, largest first.</summary>
    public IReadOnlyList<(long Bytes, long Count, string Type)> GrowthSince(HeapSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var old = before.Types.GroupBy(t => t.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (Bytes: g.Sum(t => t.Bytes), Count: g.Sum(t => t.Count)), StringComparer.Ordinal);
        return [.. Types.GroupBy(t => t.Type, StringComparer.Ordinal)
            .Select(g =>
            {
                var (bytes, count) = old.TryGetValue(g.Key, out var o) ? o : (0, 0);
                return (Bytes: g.Sum(t => t.Bytes) - bytes, Count: g.Sum(t => t.Count) - count, Type: g.Key);
            })
            .OrderByDescending(t => t.Bytes)];
    }
}
