using System.Text.Json;

namespace Conduit.Bench.Tests;

/// <summary>
/// Every benchmark scenario runs once in <c>--quick</c> mode and must produce a well-formed report:
/// a Markdown table and a JSON document with the expected rows, and its PNG charts. No timing is asserted.
/// </summary>
public sealed class BenchQuickRunTests(QuickRun run) : IClassFixture<QuickRun>
{
    public static TheoryData<string, string, string, string[]> Expected => new()
    {
        // scenario, table, key column, the values that column must contain
        { "pg-point", "results", "path", ["direct", "pgbouncer", "conduit"] },
        { "redis-get", "results", "path", ["direct", "twemproxy", "conduit"] },
        { "redis-batch", "results", "path", ["direct", "twemproxy", "conduit"] },
        { "mongo-find", "results", "path", ["direct", "conduit"] },
        { "connections", "connections", "setup", ["naive per-frontend pools", "conduit"] },
        { "cold-start", "cold-start", "path", ["conduit cold tenant", "direct, new pool", "direct, new multiplexer", "conduit warm tenant"] },
        { "fail-fast", "fail-fast", "phase", ["alone", "beside the open breaker", "rejected (CIRCUIT_OPEN)"] },
        { "tenants", "tenants", "tenants", ["1000"] },
    };

    [Fact]
    public void QuickRun_AllScenarios_ExitsZero()
    {
        Assert.True(run.ExitCode == 0, $"The quick run exited with {run.ExitCode} after {run.Elapsed.TotalSeconds:0} s:\n{run.Log}");
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void QuickRun_Scenario_WritesJsonWithExpectedRows(string scenario, string table, string column, string[] values)
    {
        var file = Path.Combine(run.OutputDirectory, scenario + ".json");
        Assert.True(File.Exists(file), $"{scenario}.json is missing:\n{run.Log}");
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        var root = json.RootElement;
        Assert.Equal(scenario, root.GetProperty("scenario").GetString());
        var runInfo = root.GetProperty("run");
        Assert.True(runInfo.GetProperty("quick").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(runInfo.GetProperty("commit").GetString()));
        Assert.Matches($@"^dotnet run -c \w+ --project bench/Conduit.Bench -- ({scenario}|all) ", runInfo.GetProperty("command").GetString());
        Assert.True(runInfo.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
        Assert.True(runInfo.GetProperty("machine").GetProperty("memoryBytes").GetInt64() > 0);
        Assert.False(string.IsNullOrWhiteSpace(runInfo.GetProperty("machine").GetProperty("dotnet").GetString()));

        var results = root.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == table);
        var keys = results.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString() ?? string.Empty).ToList();
        Assert.Contains(column, keys);
        var rows = results.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Equal(keys, row.EnumerateObject().Select(p => p.Name).ToList());
        }

        var cells = rows.Select(r => r.GetProperty(column)).Select(v => v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString()).ToList();
        foreach (var value in values)
        {
            Assert.Contains(value, cells);
        }

        Assert.NotEmpty(root.GetProperty("goals").EnumerateArray());
        foreach (var chart in root.GetProperty("charts").EnumerateArray())
        {
            var png = File.ReadAllBytes(Path.Combine(run.OutputDirectory, chart.GetString()!));
            Assert.True(png.Length > 1000 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', $"{chart.GetString()} is not a PNG.");
        }
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void QuickRun_Scenario_WritesMarkdownTable(string scenario, string table, string column, string[] values)
    {
        _ = table;
        _ = column;
        var file = Path.Combine(run.OutputDirectory, scenario + ".md");
        Assert.True(File.Exists(file), $"{scenario}.md is missing:\n{run.Log}");
        var lines = File.ReadAllLines(file);
        Assert.StartsWith($"## {scenario}:", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("- Machine: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- Commit: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- Command: `dotnet run -c ", StringComparison.Ordinal) && (l.Contains($" -- {scenario} ", StringComparison.Ordinal) || l.Contains(" -- all ", StringComparison.Ordinal)));

        // A table: a header row, a separator row with as many cells, and data rows with as many cells.
        var header = Array.FindIndex(lines, l => l.StartsWith("| ", StringComparison.Ordinal));
        Assert.True(header >= 0, "No Markdown table.");
        var width = Cells(lines[header]).Length;
        Assert.Matches(@"^\|( -{3,}:? \|)+$", lines[header + 1]);
        Assert.Equal(width, Cells(lines[header + 1]).Length);
        var body = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.NotEmpty(body);
        Assert.All(body, row => Assert.Equal(width, Cells(row).Length));
        foreach (var value in values)
        {
            Assert.Contains(body, row => Cells(row).Any(c => c == value || c.Replace(",", string.Empty, StringComparison.Ordinal) == value));
        }
    }

    [Fact]
    public void QuickRun_RedisBatch_CountsBatchesAndTheirCommands()
    {
        var results = Table(Report("redis-batch"), "results");
        var headers = results.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("header").GetString());
        Assert.Equal("Batches/s", headers["opsPerSecond"]);
        Assert.Equal("Commands/s", headers["commandsPerSecond"]);
        var rows = results.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(9, rows.Count);
        foreach (var row in rows)
        {
            // Every path finished checked batches; a batch is 100 commands.
            Assert.True(row.GetProperty("operations").GetInt64() > 0, $"{row.GetProperty("path").GetString()} at c={row.GetProperty("concurrency").GetInt32()} finished no batch.");
            Assert.Equal(row.GetProperty("opsPerSecond").GetDouble() * 100, row.GetProperty("commandsPerSecond").GetDouble(), 0.01);
        }
    }

    [Fact]
    public void QuickRun_MongoFind_SaysWhichMongoDbItUsed()
    {
        var report = Report("mongo-find");
        var server = report.GetProperty("settings").GetProperty("MongoDB").GetString();
        var expected = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MONGODB_URL")) ? "wire-protocol test server" : "a real MongoDB from MONGODB_URL";
        Assert.Contains(expected, server, StringComparison.Ordinal);
        var rows = Table(report, "results").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, row => Assert.True(row.GetProperty("operations").GetInt64() > 0, $"{row.GetProperty("path").GetString()} at c={row.GetProperty("concurrency").GetInt32()} finished no find."));
    }

    private JsonElement Report(string scenario)
    {
        var file = Path.Combine(run.OutputDirectory, scenario + ".json");
        Assert.True(File.Exists(file), $"{scenario}.json is missing:\n{run.Log}");
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        return json.RootElement.Clone();
    }

    private static JsonElement Table(JsonElement report, string name) =>
        report.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
}
