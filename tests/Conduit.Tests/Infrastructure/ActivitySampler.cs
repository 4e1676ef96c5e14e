using Npgsql;

namespace Conduit.Tests.Infrastructure;

/// <summary>Samples <c>pg_stat_activity</c> for one database in the background and keeps the peak.</summary>
public sealed class ActivitySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _peak;

    /// <param name="database">The database to watch.</param>
    /// <param name="countAllConnections">True: every client connection to it (not autovacuum workers, which visit fresh databases); false: only statements running pg_sleep.</param>
    public ActivitySampler(string database, bool countAllConnections = false)
    {
        var sql = countAllConnections
            ? "select count(*) from pg_stat_activity where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()"
            : "select count(*) from pg_stat_activity where datname = $1 and state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()";
        _loop = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
            await connection.OpenAsync();
            while (!_stop.IsCancellationRequested)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.Add(new NpgsqlParameter { Value = database });
                var count = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                if (count > _peak)
                {
                    _peak = count;
                }

                try
                {
                    await Task.Delay(25, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public int Peak => _peak;

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return _peak;
    }

    public void Dispose() => _stop.Dispose();
}
