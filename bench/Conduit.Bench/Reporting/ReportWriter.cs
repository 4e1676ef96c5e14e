using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Conduit.Bench.Reporting;

/// <summary>Writes a scenario's report as <c>{scenario}.md</c>, <c>{scenario}.json</c> and <c>{scenario}-*.png</c>.</summary>
internal static class ReportWriter
{
    /// <summary>Writes every file into <paramref name="directory"/> and returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(ScenarioReport report, RunInfo run, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(directory);
        var charts = report.Charts.Select(chart => ChartWriter.Write(report.Scenario, chart, run, directory)).ToList();
        var markdown = Path.Combine(directory, report.Scenario + ".md");
        var json = Path.Combine(directory, report.Scenario + ".json");
        await File.WriteAllTextAsync(markdown, Markdown(report, run, charts.Select(Path.GetFileName).ToList()!)).ConfigureAwait(false);
        await File.WriteAllBytesAsync(json, Json(report, run, charts.Select(Path.GetFileName).ToList()!)).ConfigureAwait(false);
        return [markdown, json, .. charts];
    }

    /// <summary>The Markdown text: run facts, tables, goals, charts, notes.</summary>
    public static string Markdown(ScenarioReport report, RunInfo run, IReadOnlyList<string> chartFiles)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(chartFiles);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## {report.Scenario}: {report.Title}\n\n");
        md.Append(report.Description).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Date: {run.Date:yyyy-MM-dd HH:mm} UTC{(run.Quick ? " (quick run: too short for conclusions)" : string.Empty)}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Commit: `{run.Commit}`{(run.WorkingTreeDirty ? " (working tree had uncommitted changes)" : string.Empty)}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Command: `{run.Command}`\n");
        md.Append(CultureInfo.InvariantCulture, $"- Machine: {run.MachineLine}\n");
        foreach (var (key, value) in report.Settings)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {key}: {value}\n");
        }

        foreach (var table in report.Tables)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n### {table.Caption}\n\n");
            md.Append("| ").Append(string.Join(" | ", table.Columns.Select(c => c.Header))).Append(" |\n");
            md.Append('|').Append(string.Join('|', table.Columns.Select(c => c.Kind == ColumnKind.Text ? " --- " : " ---: "))).Append("|\n");
            foreach (var row in table.Rows)
            {
                md.Append("| ").Append(string.Join(" | ", row.Select((v, i) => ReportTable.Format(v, table.Columns[i].Kind)))).Append(" |\n");
            }
        }

        if (report.Goals.Count > 0)
        {
            md.Append("\n### Goals\n\n| Goal | Target | Measured | Met |\n| --- | --- | --- | --- |\n");
            foreach (var goal in report.Goals)
            {
                var met = goal.Met switch { true => "yes", false => "**no**", null => "n/a" };
                md.Append(CultureInfo.InvariantCulture, $"| {goal.Goal} | {goal.Target} | {goal.Measured} | {met} |\n");
            }
        }

        if (chartFiles.Count > 0)
        {
            md.Append('\n');
            foreach (var (file, chart) in chartFiles.Zip(report.Charts))
            {
                md.Append(CultureInfo.InvariantCulture, $"![{chart.Title}]({file})\n");
            }
        }

        if (report.Notes.Count > 0)
        {
            md.Append("\n### Notes\n\n");
            foreach (var note in report.Notes)
            {
                md.Append("- ").Append(note).Append('\n');
            }
        }

        return md.ToString();
    }

    /// <summary>The JSON document: the same facts with raw numbers.</summary>
    public static byte[] Json(ScenarioReport report, RunInfo run, IReadOnlyList<string> chartFiles)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(chartFiles);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", report.Scenario);
            json.WriteString("title", report.Title);
            json.WriteString("description", report.Description);
            json.WriteStartObject("run");
            json.WriteString("date", run.Date);
            json.WriteString("commit", run.Commit);
            json.WriteBoolean("workingTreeDirty", run.WorkingTreeDirty);
            json.WriteString("command", run.Command);
            json.WriteBoolean("quick", run.Quick);
            json.WriteString("configuration", run.Configuration);
            json.WriteStartObject("machine");
            json.WriteNumber("cores", run.Cores);
            json.WriteNumber("memoryBytes", run.MemoryBytes);
            json.WriteString("processor", run.Processor);
            json.WriteString("os", run.OperatingSystem);
            json.WriteString("dotnet", run.Runtime);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("settings");
            foreach (var (key, value) in report.Settings)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("tables");
            foreach (var table in report.Tables)
            {
                json.WriteStartObject();
                json.WriteString("name", table.Name);
                json.WriteString("caption", table.Caption);
                json.WriteStartArray("columns");
                foreach (var column in table.Columns)
                {
                    json.WriteStartObject();
                    json.WriteString("key", column.Key);
                    json.WriteString("header", column.Header);
                    json.WriteString("kind", column.Kind.ToString().ToLowerInvariant());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("rows");
                foreach (var row in table.Rows)
                {
                    json.WriteStartObject();
                    for (var i = 0; i < row.Length; i++)
                    {
                        WriteValue(json, table.Columns[i].Key, row[i]);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("goals");
            foreach (var goal in report.Goals)
            {
                json.WriteStartObject();
                json.WriteString("goal", goal.Goal);
                json.WriteString("target", goal.Target);
                json.WriteString("measured", goal.Measured);
                if (goal.Met is { } met)
                {
                    json.WriteBoolean("met", met);
                }
                else
                {
                    json.WriteNull("met");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("charts");
            foreach (var file in chartFiles)
            {
                json.WriteStringValue(file);
            }

            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in report.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case string s:
                json.WriteString(key, s);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, Math.Round(d, 6));
                break;
            case double:
                json.WriteNull(key);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
