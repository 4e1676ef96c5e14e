using Microsoft.Extensions.Logging;

namespace Conduit.Diagnostics;

/// <summary>The grain's structured log events. Stable ids; no message carries a secret.</summary>
internal static partial class GrainLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Project {ProjectRef}: {DatabaseType} pool '{Database}' opened for tier {Tier} ({Target})")]
    public static partial void PoolOpened(ILogger logger, string projectRef, string databaseType, string database, string tier, string target);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Project {ProjectRef}: {DatabaseType} pool '{Database}' closed ({Reason})")]
    public static partial void PoolClosed(ILogger logger, string projectRef, string databaseType, string database, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Project {ProjectRef}: {DatabaseType} circuit breaker is now {State} ({Cause})")]
    public static partial void BreakerTransition(ILogger logger, string projectRef, string databaseType, string state, string cause);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Project {ProjectRef}: idle for {IdleSeconds:0} s, closing pools and deactivating")]
    public static partial void IdleCleanup(ILogger logger, string projectRef, double idleSeconds);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Project {ProjectRef}: tier changed from {OldTier} to {NewTier}")]
    public static partial void TierChanged(ILogger logger, string projectRef, string oldTier, string newTier);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Project {ProjectRef}: unexpected failure in a {DatabaseType} operation")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception, string projectRef, string databaseType);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Project {ProjectRef}: the {DatabaseType} connection string '{Database}' cannot be opened: {Reason}")]
    public static partial void SecretUnreadable(ILogger logger, string projectRef, string databaseType, string database, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Project {ProjectRef}: {Operation} rejected with {Code}")]
    public static partial void Rejected(ILogger logger, string projectRef, string operation, string code);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Project {ProjectRef}: the idle-cleanup reminder could not be registered ({Failure}); the next data call tries again")]
    public static partial void ReminderRegistrationFailed(ILogger logger, string projectRef, string failure);
}
