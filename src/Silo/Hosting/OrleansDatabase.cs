using Conduit.Registry;
using Npgsql;

namespace Conduit.Silo.Hosting;

/// <summary>
/// The connection pool the Orleans ADO.NET providers (membership, reminders, grain state) share, on the
/// platform database named by <c>DATABASE_URL</c>.
/// </summary>
/// <remarks>
/// Separate from the registry's pool so a burst of tenant activations reading the registry cannot
/// delay membership writes. Its connections use <c>Search Path=orleans</c> (the providers look up the
/// unqualified table <c>OrleansQuery</c>; migrations 004–006 create it there), are named
/// <see cref="ApplicationName"/> in <c>pg_stat_activity</c>, and are capped at
/// <see cref="ClusterModeOptions.OrleansPoolSize"/>. Disposed with the host's service provider.
/// </remarks>
public sealed class OrleansDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The invariant name the providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The application name of the providers' connections.</summary>
    public const string ApplicationName = "conduit-orleans";

    /// <summary>The schema that holds the Orleans tables.</summary>
    public const string Schema = "orleans";

    /// <summary>Creates the pool from the platform connection string (see <see cref="PlatformConnectionString.Parse"/>).</summary>
    public OrleansDatabase(string platformConnectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(platformConnectionString)
        {
            SearchPath = Schema,
            ApplicationName = ApplicationName,
            MaxPoolSize = maxPoolSize,
            MinPoolSize = 0,
        };
        DataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The providers' data source.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => DataSource.Dispose();
}
