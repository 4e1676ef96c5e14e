namespace Conduit.Silo.Hosting;

/// <summary>The host's structured log events.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Conduit silo serving HTTP on {Urls} (platform store: {Store})")]
    public static partial void Started(ILogger logger, string urls, string store);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "No {Variable} set: the admin key was generated and written to {File}")]
    public static partial void AdminKeyWritten(ILogger logger, string file, string variable);
}
