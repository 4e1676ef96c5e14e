using System.Globalization;

namespace Conduit.Bench.Reporting;

/// <summary>One result table of a scenario.</summary>
internal sealed class ReportTable(string name, string caption, IReadOnlyList<ReportColumn> columns)
{
    private readonly List<object?[]> _rows = [];

    /// <summary>A stable identifier (JSON key).</summary>
    public string Name { get; } = name;

    /// <summary>The heading shown above the table.</summary>
    public string Caption { get; } = caption;

    /// <summary>The columns.</summary>
    public IReadOnlyList<ReportColumn> Columns { get; } = columns;

    /// <summary>The rows, one value per column (string, long, int or double; null when not applicable).</summary>
    public IReadOnlyList<object?[]> Rows => _rows;

    /// <summary>Adds a row; the values must match the columns.</summary>
    public void Add(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"Table {Name} has {Columns.Count} columns; the row has {values.Length} values.", nameof(values));
        }

        _rows.Add(values);
    }

    /// <summary>The value as Markdown shows it.</summary>
    public static string Format(object? value, ColumnKind kind) => value switch
    {
        null => "–",
        string s => s,
        _ when kind == ColumnKind.Text => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        _ => FormatNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture), kind),
    };

    private static string FormatNumber(double number, ColumnKind kind) => kind switch
    {
        ColumnKind.Count => number.ToString("#,0", CultureInfo.InvariantCulture),
        ColumnKind.Rate => number.ToString("#,0", CultureInfo.InvariantCulture),
        ColumnKind.Milliseconds => number >= 100 ? number.ToString("#,0", CultureInfo.InvariantCulture) : number >= 10 ? number.ToString("0.0", CultureInfo.InvariantCulture) : number.ToString("0.000", CultureInfo.InvariantCulture),
        ColumnKind.Ratio => number.ToString("0.00", CultureInfo.InvariantCulture),
        ColumnKind.Bytes => number >= 10 * 1024 * 1024 ? (number / 1024 / 1024).ToString("#,0.0", CultureInfo.InvariantCulture) + " MiB" : (number / 1024).ToString("#,0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => number.ToString(CultureInfo.InvariantCulture),
    };
}
