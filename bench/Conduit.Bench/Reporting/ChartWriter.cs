using System.Globalization;
using ScottPlot;

namespace Conduit.Bench.Reporting;

/// <summary>Renders a <see cref="ChartSpec"/> as a PNG with ScottPlot.</summary>
internal static class ChartWriter
{
    private static readonly Color[] Palette =
    [
        Color.FromHex("#4C72B0"), Color.FromHex("#DD8452"), Color.FromHex("#55A868"), Color.FromHex("#C44E52"), Color.FromHex("#8172B3"), Color.FromHex("#937860"),
    ];

    /// <summary>Writes <c>{scenario}-{suffix}.png</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string scenario, ChartSpec chart, RunInfo run, string directory)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(run);
        var plot = new Plot();
        var seriesCount = Math.Max(1, chart.Series.Count);
        const double groupWidth = 0.8;
        var barWidth = groupWidth / seriesCount;
        var max = 0.0;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var (name, values) = chart.Series[s];
            var bars = new List<Bar>();
            for (var c = 0; c < chart.Categories.Count && c < values.Count; c++)
            {
                var value = double.IsFinite(values[c]) ? values[c] : 0;
                max = Math.Max(max, value);
                bars.Add(new Bar
                {
                    Position = c - (groupWidth / 2) + (barWidth * (s + 0.5)),
                    Value = value,
                    Size = barWidth * 0.92,
                    FillColor = Palette[s % Palette.Length],
                    Label = FormatLabel(value),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = name;
            plottable.ValueLabelStyle.FontSize = 11;
        }

        if (chart.ReferenceLine is { } line)
        {
            var reference = plot.Add.HorizontalLine(line.Value, 1.5f, Colors.Black, LinePattern.Dashed);
            reference.LegendText = line.Label;
            max = Math.Max(max, line.Value);
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, chart.Categories.Count).Select(i => (double)i)], [.. chart.Categories]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.6, chart.Categories.Count - 0.4, 0, max <= 0 ? 1 : max * 1.18);
        plot.Title(chart.Title);
        plot.YLabel(chart.YLabel);
        plot.Axes.Bottom.Label.Text = run.Quick ? "quick run — not for conclusions" : $"{run.Date:yyyy-MM-dd} · {run.Commit} · {run.Cores} cores";
        plot.Axes.Bottom.Label.FontSize = 11;
        plot.ShowLegend(Alignment.UpperRight);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        var path = Path.Combine(directory, $"{scenario}-{chart.Suffix}.png");
        plot.SavePng(path, 900, 480);
        return path;
    }

    private static string FormatLabel(double value) => value switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
