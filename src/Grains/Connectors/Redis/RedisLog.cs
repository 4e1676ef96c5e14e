using Microsoft.Extensions.Logging;

namespace Conduit.Connectors.Redis;

/// <summary>Log events of Redis pub/sub in a project's grain. Stable ids 1301–1399; channel names only, never message contents.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Project {ProjectRef}: Redis channel '{Channel}' subscribed on '{Database}'")]
    public static partial void ChannelSubscribed(ILogger logger, string projectRef, string database, string channel);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Project {ProjectRef}: Redis channel '{Channel}' unsubscribed on '{Database}' (no subscriber left)")]
    public static partial void ChannelUnsubscribed(ILogger logger, string projectRef, string database, string channel);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Project {ProjectRef}: dropped a subscriber of Redis channel '{Channel}': {Reason}")]
    public static partial void SubscriberDropped(ILogger logger, string projectRef, string channel, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Project {ProjectRef}: Redis channel '{Channel}' could not be subscribed again ({Code}); retrying on the next sweep")]
    public static partial void ResubscribeFailed(ILogger logger, string projectRef, string channel, string code);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Project {ProjectRef}: dropped {Dropped} messages of Redis channel '{Channel}': more than {Capacity} were waiting for slow subscribers")]
    public static partial void MessagesDropped(ILogger logger, string projectRef, string channel, long dropped, int capacity);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "Project {ProjectRef}: the delivery loop of Redis channel '{Channel}' failed")]
    public static partial void PumpFailed(ILogger logger, Exception exception, string projectRef, string channel);
}
