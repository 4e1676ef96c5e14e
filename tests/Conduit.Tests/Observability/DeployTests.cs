using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;

namespace Conduit.Tests.Observability;

/// <summary>deploy/: the alert rules pass promtool's check and unit tests, and the Grafana dashboard queries metrics the silo exports.</summary>
public sealed partial class DeployTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    [Fact]
    public async Task AlertRules_PromtoolCheckAndUnitTests_Pass()
    {
        var rules = Path.Combine(Deploy, "prometheus", "alerts.yml");

        var (checkExit, checkOutput) = await PromTool.RunAsync(null, "check", "rules", rules);
        var (testExit, testOutput) = await PromTool.RunAsync(null, "test", "rules", Path.Combine(Deploy, "prometheus", "alerts.test.yml"));

        Assert.True(checkExit == 0, checkOutput);
        Assert.Contains("SUCCESS: 6 rules found", checkOutput, StringComparison.Ordinal);
        Assert.True(testExit == 0, testOutput);
    }

    [Fact]
    public async Task PrometheusConfig_PromtoolCheck_Passes()
    {
        var (exit, output) = await PromTool.RunAsync(null, "check", "config", Path.Combine(Deploy, "prometheus", "prometheus.yml"));

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task GrafanaDashboardAndAlerts_EveryQueryParsesAndNamesAnExportedMetric()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Deploy, "grafana", "conduit.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        var alerts = await File.ReadAllTextAsync(Path.Combine(Deploy, "prometheus", "alerts.yml"));
        var asRules = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            asRules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: grafana_panel_{i}\n        expr: {JsonSerializer.Serialize(expressions[i])}\n");
        }

        var rulesFile = Path.Combine(Path.GetTempPath(), $"conduit-grafana-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(rulesFile, asRules.ToString());
        var (exit, output) = await PromTool.RunAsync(null, "check", "rules", rulesFile);
        File.Delete(rulesFile);
        Assert.True(exit == 0, "a Grafana query does not parse:\n" + output);

        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
        });
        var exported = MetricsText.Families(await silo.Http.GetStringAsync("/metrics")).Append("up").ToHashSet(StringComparer.Ordinal);
        var named = MetricName().Matches(string.Join("\n", expressions) + "\n" + alerts)
            .Select(m => Regex.Replace(m.Value, "_bucket$", string.Empty))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(named.Count >= 10, string.Join(", ", named));
        Assert.All(named, name => Assert.True(exported.Contains(name), $"{name} is queried but the silo does not export it"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(db_[a-z_]+|circuit_breaker_state|conduit_[a-z_]+|up)\b(?=\s*[{\[)=<>!]|\s*$)", RegexOptions.Multiline)]
    private static partial Regex MetricName();
}
