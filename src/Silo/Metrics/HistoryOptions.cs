using System.ComponentModel.DataAnnotations;

namespace Conduit.Silo.Metrics;

/// <summary>How the silo writes each active project's figures to <c>platform.database_metrics</c>, bound from <c>Conduit:History</c>.</summary>
public sealed class HistoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:History";

    /// <summary>How often the figures of the past interval are written (one batch). Default 60 s; range 1 s–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most rows held while the platform store is unreachable; past that the oldest are dropped and counted in
    /// <c>conduit_history_rows_dropped_total</c>. Default 100000; range 10–10000000.
    /// </summary>
    [Range(10, 10_000_000)]
    public int MaxBufferedRows { get; set; } = 100_000;

    /// <summary>Rows per statement. Default 1000; range 1–100000.</summary>
    [Range(1, 100_000)]
    public int BatchRows { get; set; } = 1000;
}
