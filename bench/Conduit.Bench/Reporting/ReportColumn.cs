namespace Conduit.Bench.Reporting;

/// <summary>One table column: its header, its stable JSON key and how its values are written.</summary>
internal sealed record ReportColumn(string Key, string Header, ColumnKind Kind);
