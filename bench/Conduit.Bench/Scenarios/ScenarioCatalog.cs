namespace Conduit.Bench.Scenarios;

/// <summary>Every scenario the benchmark can run, in the order <c>all</c> runs them.</summary>
internal static class ScenarioCatalog
{
    /// <summary>The scenarios.</summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new PgPointScenario(),
        new RedisGetScenario(),
        new RedisBatchScenario(),
        new MongoFindScenario(),
        new ConnectionsScenario(),
        new ColdStartScenario(),
        new FailFastScenario(),
        new TenantsScenario(),
    ];

    /// <summary>The scenario called <paramref name="name"/>, or null.</summary>
    public static IScenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
