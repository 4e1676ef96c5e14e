namespace Conduit.Bench.Reporting;

/// <summary>A grouped bar chart: one group per category (e.g. concurrency), one bar per series (e.g. direct, PgBouncer, Conduit).</summary>
/// <param name="Suffix">File name suffix: the PNG is <c>{scenario}-{suffix}.png</c>.</param>
/// <param name="Title">The chart title.</param>
/// <param name="YLabel">The value axis label.</param>
/// <param name="Categories">The group labels.</param>
/// <param name="Series">Each series' name and one value per category.</param>
/// <param name="ReferenceLine">An optional horizontal line (a goal), with its label.</param>
internal sealed record ChartSpec(
    string Suffix,
    string Title,
    string YLabel,
    IReadOnlyList<string> Categories,
    IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Series,
    (double Value, string Label)? ReferenceLine = null);
