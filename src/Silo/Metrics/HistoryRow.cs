namespace Conduit.Silo.Metrics;

/// <summary>One <c>platform.record_database_metric()</c> call waiting to be written.</summary>
internal readonly record struct HistoryRow(string ProjectRef, string DatabaseType, string Metric, double Value, string LabelsJson, DateTime TimeUtc);
