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

    /// <summary>Most statements one PostgreSQL transaction call may hold. Default 100; range 1–10000.</summary>
    [Range(1, 10_000)]
    public int MaxTransactionStatements { get; set; } = 100;

    /// <summary>How long opening a new connection may take. Default 10 s; range 1 s–5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most commands one Redis batch may carry before <c>PAYLOAD_TOO_LARGE</c>. Default 1000; range 1–100000.</summary>
    [Range(1, 100_000)]
    public int RedisMaxBatchCommands { get; set; } = 1000;

    /// <summary>How long a Redis subscription lasts without renewal; subscribers renew well before (the client library every third of it). Default 60 s; range 1 s–1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RedisSubscriptionLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long delivering one message to one subscriber may take before that subscriber is dropped. Default 10 s; range 100 ms–5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RedisDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a Server-Sent Events subscription with nothing to send writes a keepalive comment. Default 15 s; range 100 ms–5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RedisSseKeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
