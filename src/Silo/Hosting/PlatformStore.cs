using Conduit.Registry;
using Npgsql;

namespace Conduit.Silo.Hosting;

/// <summary>Wires the PostgreSQL platform store (the <c>platform</c> schema) when <c>DATABASE_URL</c> is set.</summary>
public static class PlatformStore
{
    /// <summary>Registers the platform data source and the PostgreSQL registry.</summary>
    public static void AddPostgres(IServiceCollection services, string databaseUrl)
    {
        ArgumentNullException.ThrowIfNull(services);
        string connectionString;
        try
        {
            connectionString = PlatformConnectionString.Parse(databaseUrl);
        }
        catch (Errors.ConduitException e)
        {
            throw new StartupException(e.Message);
        }

        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IProjectRegistry, PostgresProjectRegistry>();
        services.AddSingleton<Diagnostics.PlatformEventWriter>();
        services.AddSingleton<Diagnostics.IDataPlaneObserver>(sp => sp.GetRequiredService<Diagnostics.PlatformEventWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<Diagnostics.PlatformEventWriter>());
    }
}
