namespace Conduit.Silo.Api;

/// <summary>The REST API's structured log events.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unhandled failure serving {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Project {ProjectRef} created with tier {Tier}")]
    public static partial void ProjectCreated(ILogger logger, string projectRef, string tier);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Project {ProjectRef}: {DatabaseType} database '{Database}' registered ({Target})")]
    public static partial void DatabaseRegistered(ILogger logger, string projectRef, string databaseType, string database, string target);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Cluster failure serving {Method} {Path}: {Failure}; answered CLUSTER_UNAVAILABLE")]
    public static partial void ClusterFailure(ILogger logger, string failure, string method, string path);
}
