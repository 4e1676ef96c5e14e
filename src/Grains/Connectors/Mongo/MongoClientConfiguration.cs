using Conduit.Errors;
using Conduit.Options;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>Turns a registered MongoDB URL and the tier's limits into the driver's client settings.</summary>
internal static class MongoClientConfiguration
{
    /// <summary>
    /// The settings for one project's client: pool min/max from the tier, idle connections closed after
    /// the idle timeout, waits for a pooled connection bounded by the acquire timeout, and server
    /// selection and connecting bounded well inside the query timeout so an unreachable server is
    /// reported as <c>BACKEND_UNAVAILABLE</c> before the operation's own timeout fires.
    /// </summary>
    public static MongoClientSettings Create(MongoUrl url, string applicationName, TierLimits limits, DataPlaneOptions dataPlane, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dataPlane);
        var settings = MongoClientSettings.FromUrl(url);
        settings.MinConnectionPoolSize = limits.MinPoolSize;
        settings.MaxConnectionPoolSize = limits.MaxPoolSize;
        settings.MaxConnectionIdleTime = idleTimeout;
        settings.WaitQueueTimeout = limits.AcquireTimeout;
        settings.ServerSelectionTimeout = Min(dataPlane.ConnectTimeout, limits.QueryTimeout / 2);
        settings.ConnectTimeout = Min(dataPlane.ConnectTimeout, limits.QueryTimeout);
        // The pipeline's timeout cancels the operation at the query timeout; the socket timeout is only
        // the backstop for a read the cancellation cannot reach.
        settings.SocketTimeout = limits.QueryTimeout + TimeSpan.FromSeconds(1);
        settings.ApplicationName ??= applicationName;
        return settings;
    }

    /// <summary>Parses a registered URL; the message never repeats it (it carries the password).</summary>
    public static MongoUrl Parse(string connectionString)
    {
        try
        {
            return MongoUrl.Create(connectionString);
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            throw new ConduitException(ErrorCodes.BackendUnavailable, "The registered MongoDB connection string cannot be used: it is not a mongodb:// or mongodb+srv:// URL the driver accepts. Register it again.");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
