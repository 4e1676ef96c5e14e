namespace Conduit.Platform;

/// <summary>One run of the platform store's retention.</summary>
/// <param name="At">When it ran.</param>
/// <param name="MetricsDeleted">Rows deleted from <c>platform.database_metrics</c>.</param>
/// <param name="LogsDeleted">Rows deleted from <c>platform.database_connection_logs</c>.</param>
[GenerateSerializer, Immutable, Alias("Conduit.RetentionRun")]
public sealed record RetentionRun(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] long MetricsDeleted,
    [property: Id(2)] long LogsDeleted);
