using System.ComponentModel.DataAnnotations;

namespace Conduit.Options;

/// <summary>One database type's circuit-breaker settings.</summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Share of infrastructure failures in the sampling window that opens the breaker. Default 0.5; range (0, 1].</summary>
    [Range(0.0001, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the window before the ratio counts. Default 5; range 2–10000.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The sampling window. Default 30 s; range 500 ms–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before one half-open probe. Default 15 s; range 500 ms–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
