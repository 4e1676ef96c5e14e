using System.ComponentModel.DataAnnotations;

namespace Conduit.Options;

/// <summary>When idle pools close, bound from <c>Conduit:IdleCleanup</c>.</summary>
public sealed class IdleCleanupOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:IdleCleanup";

    /// <summary>A project with no data call for this long has its pools closed and its grain deactivated. Default 5 min; range 1 s–1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the grain timer checks for idleness. Default 30 s; range 100 ms–1 h; at most <see cref="IdleTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Period of the reminder held while pools are open; it wakes the project on another silo after a
    /// crash so cleanup still happens. Default 5 min; at least Orleans' minimum reminder period (1 min by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(5);
}
