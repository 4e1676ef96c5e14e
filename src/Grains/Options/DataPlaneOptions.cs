using System.ComponentModel.DataAnnotations;

namespace Conduit.Options;

/// <summary>Limits on what one data call may carry, bound from <c>Conduit:DataPlane</c>.</summary>
public sealed class DataPlaneOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Conduit:DataPlane";

    /// <summary>Most rows one PostgreSQL call may return before <c>RESULT_TOO_LARGE</c>. Default 10000; range 1–10000000.</summary>
    [Range(1, 10_000_000)]
    public int MaxRows { get; set; } = 10_000;

    /// <summary>How long opening a new connection may take. Default 10 s; range 1 s–5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
