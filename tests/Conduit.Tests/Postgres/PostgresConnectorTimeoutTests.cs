using Conduit.Connectors.Postgres;
using Conduit.Errors;
using Conduit.Options;
using Conduit.Postgres;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Postgres;

/// <summary>
/// The connector on its own, without the grain's Polly timeout: Npgsql's command timeout is then the only
/// one that can fire, so the race between the two (either may win in the grain) is tested on both sides.
/// </summary>
public sealed class PostgresConnectorTimeoutTests
{
    private static PostgresConnector Connector(string connectionString) => new(
        connectionString,
        $"timeout-{Guid.NewGuid():N}",
        new TierLimits { MinPoolSize = 0, MaxPoolSize = 2, MaxConcurrent = 2, AcquireTimeout = TimeSpan.FromSeconds(1), QueryTimeout = TimeSpan.FromSeconds(1), RequestsPerSecond = 100, Burst = 100 },
        new DataPlaneOptions(),
        TimeSpan.FromMinutes(5));

    [Fact]
    public async Task NpgsqlCommandTimeout_IsQueryTimeout_AndTheConnectionStaysUsable()
    {
        var connectionString = await TestServers.CreateDatabaseAsync();
        await using var connector = Connector(connectionString);

        var error = await Assert.ThrowsAsync<ConduitException>(async () => await connector.QueryAsync(new PgCommand("select pg_sleep(5)"), CancellationToken.None));
        var next = await connector.QueryAsync(new PgCommand("select 41 + 1"), CancellationToken.None);

        Assert.Equal(ErrorCodes.QueryTimeout, error.Code);
        Assert.Equal(42, Convert.ToInt32(next.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NpgsqlCommandTimeoutInATransaction_IsQueryTimeoutNamingTheStatement()
    {
        var connectionString = await TestServers.CreateDatabaseAsync();
        await using var connector = Connector(connectionString);

        var error = await Assert.ThrowsAsync<ConduitException>(async () => await connector.TransactionAsync(
            new PgTransaction([new PgStatement("select 1"), new PgStatement("select pg_sleep(5)")]),
            CancellationToken.None));

        Assert.Equal(ErrorCodes.QueryTimeout, error.Code);
        Assert.StartsWith("statements[1]: ", error.Message, StringComparison.Ordinal);
    }
}
