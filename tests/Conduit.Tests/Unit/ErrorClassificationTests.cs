using System.Net.Sockets;
using Conduit.Connectors.Postgres;
using Conduit.Connectors.Redis;
using Conduit.Errors;
using Conduit.Resilience;
using Npgsql;
using Polly.Timeout;
using StackExchange.Redis;

// The tests construct driver exceptions directly; the drivers mark the simple constructors obsolete for their own callers.
#pragma warning disable CS0618

namespace Conduit.Tests.Unit;

public sealed class ErrorClassificationTests
{
    [Theory]
    [InlineData("08006", true)]
    [InlineData("08001", true)]
    [InlineData("53300", true)]
    [InlineData("57P01", true)]
    [InlineData("57P03", true)]
    [InlineData("28P01", true)]
    [InlineData("3D000", true)]
    [InlineData("42601", false)]
    [InlineData("23505", false)]
    [InlineData("22012", false)]
    [InlineData("57014", false)]
    [InlineData("40001", false)]
    public void PostgresSqlState_Classified(string sqlState, bool infrastructure)
    {
        Assert.Equal(infrastructure, PostgresErrors.IsInfrastructure(sqlState));
    }

    [Fact]
    public void PostgresSocketFailure_IsBackendUnavailableAndCounts()
    {
        var translated = PostgresErrors.Translate(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(ErrorCodes.BackendUnavailable, translated!.Code);
        Assert.Contains("ConnectionRefused", translated.Message, StringComparison.Ordinal);
        Assert.True(BreakerFailures.Counts(translated));
    }

    [Fact]
    public void PostgresPoolExhausted_IsQueueTimeoutAndDoesNotCount()
    {
        var translated = PostgresErrors.Translate(new NpgsqlException("The connection pool has been exhausted, either raise 'Max Pool Size' (currently 5) or 'Timeout' (currently 10 seconds) in your connection string.", new TimeoutException()));

        Assert.Equal(ErrorCodes.QueueTimeout, translated!.Code);
        Assert.False(BreakerFailures.Counts(translated));
    }

    [Fact]
    public void PostgresCommandTimeoutWhileExecuting_IsQueryTimeoutAndCounts()
    {
        var timeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        var translated = PostgresErrors.TranslateExecution(timeout, "statements[1]: ");

        Assert.Equal(ErrorCodes.QueryTimeout, translated!.Code);
        Assert.StartsWith("statements[1]: ", translated.Message, StringComparison.Ordinal);
        Assert.True(BreakerFailures.Counts(translated));
        Assert.Equal(ErrorCodes.BackendUnavailable, PostgresErrors.Translate(timeout)!.Code);
    }

    [Fact]
    public void Cancellation_IsLeftToTheTimeoutStrategy()
    {
        Assert.Null(PostgresErrors.Translate(new OperationCanceledException()));
        Assert.Null(RedisErrors.Translate(new OperationCanceledException()));
    }

    [Theory]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", ErrorCodes.BackendError)]
    [InlineData("ERR value is not an integer or out of range", ErrorCodes.BackendError)]
    [InlineData("LOADING Redis is loading the dataset in memory", ErrorCodes.BackendUnavailable)]
    [InlineData("NOAUTH Authentication required.", ErrorCodes.BackendUnavailable)]
    [InlineData("READONLY You can't write against a read only replica.", ErrorCodes.BackendUnavailable)]
    public void RedisServerReply_Classified(string message, string code)
    {
        var translated = RedisErrors.Translate(new RedisServerException(message));

        Assert.Equal(code, translated!.Code);
        Assert.Equal(message.Split(' ')[0], translated.BackendCode);
        Assert.Equal(code == ErrorCodes.BackendUnavailable, BreakerFailures.Counts(translated));
    }

    [Fact]
    public void RedisConnectionFailure_Counts()
    {
        var translated = RedisErrors.Translate(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"));

        Assert.Equal(ErrorCodes.BackendUnavailable, translated!.Code);
        Assert.True(BreakerFailures.Counts(translated));
    }

    [Fact]
    public void BreakerFailures_UserErrorsAndTimeouts_Classified()
    {
        Assert.True(BreakerFailures.Counts(new TimeoutRejectedException()));
        Assert.True(BreakerFailures.Counts(new ConduitException(ErrorCodes.QueryTimeout, "slow")));
        Assert.False(BreakerFailures.Counts(new ConduitException(ErrorCodes.BackendError, "bad sql")));
        Assert.False(BreakerFailures.Counts(new ConduitException(ErrorCodes.InvalidRequest, "bad")));
        Assert.False(BreakerFailures.Counts(new ConduitException(ErrorCodes.ResultTooLarge, "big")));
        Assert.False(BreakerFailures.Counts(null));
    }
}
