using Conduit.Errors;
using StackExchange.Redis;

namespace Conduit.Connectors.Redis;

/// <summary>Translates StackExchange.Redis exceptions into <see cref="ConduitException"/>; server replies like <c>WRONGTYPE</c> are the caller's errors.</summary>
public static class RedisErrors
{
    // Error prefixes that mean the server cannot serve anyone right now, not that the command was wrong.
    private static readonly string[] InfrastructurePrefixes = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "NOAUTH", "WRONGPASS", "CLUSTERDOWN", "TRYAGAIN", "OOM"];

    /// <summary>Translates <paramref name="exception"/>; returns null for cancellation, which the timeout strategy owns.</summary>
    public static ConduitException? Translate(Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException:
                return null;
            case ConduitException conduit:
                return conduit;
            case RedisServerException server:
                var prefix = server.Message.Split(' ', 2)[0];
                return InfrastructurePrefixes.Contains(prefix, StringComparer.Ordinal)
                    ? new ConduitException(ErrorCodes.BackendUnavailable, $"Redis cannot serve requests: {prefix}.", prefix, isTransient: true)
                    : new ConduitException(ErrorCodes.BackendError, $"Redis rejected the command: {server.Message}", prefix);
            case RedisTimeoutException:
                return new ConduitException(ErrorCodes.QueryTimeout, "Redis did not answer within the tier's query timeout.", isTransient: true);
            case RedisConnectionException connection:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"Redis could not be reached: {connection.FailureType}.", connection.FailureType.ToString(), isTransient: true);
            case RedisCommandException command:
                return new ConduitException(ErrorCodes.InvalidRequest, $"args: {command.Message}");
            case TimeoutException:
                return new ConduitException(ErrorCodes.QueryTimeout, "Redis did not answer within the tier's query timeout.", isTransient: true);
            case RedisException redis:
                return new ConduitException(ErrorCodes.BackendUnavailable, $"Redis failed: {redis.GetType().Name}.", isTransient: true);
            default:
                return null;
        }
    }
}
