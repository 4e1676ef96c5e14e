namespace Conduit.Bench.Scenarios;

/// <summary>Silo configuration the scenarios start with (environment-variable form).</summary>
internal static class SiloSettings
{
    /// <summary>
    /// The ENTERPRISE tier with its request-rate bucket lifted out of the way, so a throughput scenario
    /// measures the data path rather than the product's rate limit.
    /// </summary>
    public static Dictionary<string, string> UnthrottledEnterprise() => new()
    {
        ["Conduit__Tiers__Enterprise__RequestsPerSecond"] = "1000000",
        ["Conduit__Tiers__Enterprise__Burst"] = "1000000",
    };

    /// <summary>Describes <paramref name="settings"/> for the report.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings) =>
        settings.Count == 0 ? "defaults" : string.Join(", ", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
}
