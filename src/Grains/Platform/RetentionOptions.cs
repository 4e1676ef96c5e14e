using System.ComponentModel.DataAnnotations;

namespace Conduit.Platform;

/// <summary>How long the platform store keeps history and how often it is pruned, bound from <c>Conduit:Retention</c>.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:Retention";

    /// <summary>Age past which metric samples are deleted. Default 30 days; range 1 h–10 years.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan MetricsRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Age past which connection events are deleted. Default 90 days; range 1 h–10 years.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan LogsRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Period of the cluster-wide retention reminder. Default 1 h; range 1 min–7 days (at least Orleans'
    /// minimum reminder period).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delay before the first run after the reminder is registered. Default 1 min; range 0–7 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DueTime { get; set; } = TimeSpan.FromMinutes(1);
}
