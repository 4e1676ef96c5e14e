namespace Conduit.Bench.Reporting;

/// <summary>Everything a scenario measured, ready to be written as Markdown, JSON and PNG charts.</summary>
internal sealed class ScenarioReport(string scenario, string title, string description)
{
    /// <summary>The scenario's command-line name.</summary>
    public string Scenario { get; } = scenario;

    /// <summary>The heading.</summary>
    public string Title { get; } = title;

    /// <summary>What is measured and how, in a few sentences.</summary>
    public string Description { get; } = description;

    /// <summary>The result tables.</summary>
    public List<ReportTable> Tables { get; } = [];

    /// <summary>The goals checked against this run.</summary>
    public List<GoalResult> Goals { get; } = [];

    /// <summary>Charts to render.</summary>
    public List<ChartSpec> Charts { get; } = [];

    /// <summary>Settings that shaped the run (durations, pool sizes, server versions…).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Observations worth reading with the numbers.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Adds a table and returns it.</summary>
    public ReportTable AddTable(string name, string caption, params ReportColumn[] columns)
    {
        var table = new ReportTable(name, caption, columns);
        Tables.Add(table);
        return table;
    }
}
