using System.Text.RegularExpressions;
using Conduit.Errors;
using Conduit.Model;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conduit.Registry;

/// <summary>
/// The registry in the platform database: <c>platform.projects</c> and <c>platform.databases</c>
/// (created by <c>conduit migrate</c>). Shared by every silo of a cluster.
/// </summary>
/// <remarks>
/// Does not own <paramref name="dataSource"/>: whoever created it disposes it. Failures of the platform
/// database surface as <c>PLATFORM_UNAVAILABLE</c> and are logged here; the driver's exception never
/// leaves this class, since Orleans cannot carry it across a grain call.
/// </remarks>
/// <param name="dataSource">The platform database (see <see cref="PlatformConnectionString"/>).</param>
/// <param name="logger">Where platform failures and key rotations are logged.</param>
public sealed partial class PostgresProjectRegistry(NpgsqlDataSource dataSource, ILogger<PostgresProjectRegistry> logger) : IProjectRegistry
{
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";
    private const string CheckViolation = "23514";
    private const string ProjectsKey = "projects_pkey";
    private const string DatabasesProjectTypeNameKey = "databases_project_type_name_key";

    private static readonly TimeSpan _pingTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly ILogger<PostgresProjectRegistry> _logger = logger;

    /// <inheritdoc />
    public async Task<ProjectRecord?> GetProjectAsync(string projectRef, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT ref, tier, api_key_hash, created_at FROM platform.projects WHERE ref = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = projectRef });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var tier = Tiers.TryParse(reader.GetString(1), out var parsed)
                ? parsed
                : throw new ConduitException(ErrorCodes.InternalError, $"Project '{projectRef}' has a tier this silo does not know; the silo may be older than the platform schema.");
            return new ProjectRecord(reader.GetString(0), tier, reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<DateTimeOffset>(3));
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(GetProjectAsync));
        }
    }

    /// <inheritdoc />
    public async Task CreateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!ProjectRefs.IsValid(project.Ref))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"Project ref '{project.Ref}' is invalid: {ProjectRefs.Rule}.");
        }

        if (project.ApiKeyHash is not { Length: 32 })
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"The API key hash of project '{project.Ref}' must be a SHA-256 digest (32 bytes).");
        }

        try
        {
            await using var command = _dataSource.CreateCommand("INSERT INTO platform.projects (ref, tier, api_key_hash, created_at) VALUES ($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter { Value = project.Ref });
            command.Parameters.Add(new NpgsqlParameter { Value = project.Tier.ToWireName() });
            command.Parameters.Add(new NpgsqlParameter { Value = project.ApiKeyHash });
            command.Parameters.Add(new NpgsqlParameter { Value = project.CreatedAt.ToUniversalTime() });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex is { SqlState: UniqueViolation, ConstraintName: ProjectsKey })
        {
            throw new ConduitException(ErrorCodes.ProjectExists, $"Project '{project.Ref}' exists already.", ex.SqlState);
        }
        catch (PostgresException ex) when (ex.SqlState == CheckViolation)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"Project '{project.Ref}' breaks the rule {ex.ConstraintName}.", ex.SqlState);
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(CreateProjectAsync));
        }
    }

    /// <inheritdoc />
    public async Task<bool> SetTierAsync(string projectRef, Tier tier, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("UPDATE platform.projects SET tier = $2 WHERE ref = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = projectRef });
            command.Parameters.Add(new NpgsqlParameter { Value = tier.ToWireName() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(SetTierAsync));
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DatabaseRecord>> GetDatabasesAsync(string projectRef, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(
                "SELECT id, project_ref, type, name, connection_string_encrypted, target, created_at FROM platform.databases WHERE project_ref = $1 ORDER BY created_at, id");
            command.Parameters.Add(new NpgsqlParameter { Value = projectRef });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var databases = new List<DatabaseRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                databases.Add(new DatabaseRecord(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    ParseType(reader.GetString(2)),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6)));
            }

            return databases;
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(GetDatabasesAsync));
        }
    }

    /// <inheritdoc />
    public async Task AddDatabaseAsync(DatabaseRecord database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!DatabaseNamePattern().IsMatch(database.Name))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"Database name '{database.Name}' is invalid: 1 to 63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit.");
        }

        if (!database.EncryptedConnectionString.StartsWith("v1:", StringComparison.Ordinal))
        {
            // Said without the value: an unsealed value would be a plain connection string.
            throw new ConduitException(ErrorCodes.InvalidRequest, "The connection string must be sealed by SecretProtector before it is stored.");
        }

        try
        {
            await using var command = _dataSource.CreateCommand(
                "INSERT INTO platform.databases (id, project_ref, type, name, connection_string_encrypted, target, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
            command.Parameters.Add(new NpgsqlParameter { Value = database.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = database.ProjectRef });
            command.Parameters.Add(new NpgsqlParameter { Value = database.Type.ToWireName() });
            command.Parameters.Add(new NpgsqlParameter { Value = database.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = database.EncryptedConnectionString });
            command.Parameters.Add(new NpgsqlParameter { Value = database.Target });
            command.Parameters.Add(new NpgsqlParameter { Value = database.CreatedAt.ToUniversalTime() });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == ForeignKeyViolation)
        {
            throw new ConduitException(ErrorCodes.ProjectNotFound, $"Project '{database.ProjectRef}' is not registered.", ex.SqlState);
        }
        catch (PostgresException ex) when (ex is { SqlState: UniqueViolation, ConstraintName: DatabasesProjectTypeNameKey })
        {
            throw new ConduitException(ErrorCodes.DatabaseExists, $"Project '{database.ProjectRef}' has a {database.Type.ToWireName()} database named '{database.Name}' already.", ex.SqlState);
        }
        catch (PostgresException ex) when (ex.SqlState == CheckViolation)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"Database '{database.Name}' of project '{database.ProjectRef}' breaks the rule {ex.ConstraintName}.", ex.SqlState);
        }
        catch (NpgsqlException ex)
        {
            throw Unavailable(ex, nameof(AddDatabaseAsync));
        }
    }

    /// <inheritdoc />
    /// <remarks>Gives up after 5 seconds; returns false, never throws, when the platform database is down.</remarks>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_pingTimeout);
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            LogPingFailed(_logger, ex);
            return false;
        }
    }

    private static DatabaseType ParseType(string wireName) =>
        DatabaseTypes.TryParse(wireName, out var type)
            ? type
            : throw new ConduitException(ErrorCodes.InternalError, $"A registered database has the type '{wireName}', which this silo does not know; the silo may be older than the platform schema.");

    private ConduitException Unavailable(NpgsqlException exception, string operation)
    {
        LogPlatformFailed(_logger, operation, exception);
        var sqlState = (exception as PostgresException)?.SqlState;

        // 42P01 undefined_table, 3F000 invalid_schema_name: the schema was never migrated.
        return sqlState is "42P01" or "3F000"
            ? new ConduitException(ErrorCodes.PlatformUnavailable, "The platform schema is missing: run `conduit migrate` with DATABASE_URL set.", sqlState)
            : sqlState is null
                ? new ConduitException(ErrorCodes.PlatformUnavailable, "The platform database did not answer; the silo log has the cause.", isTransient: true)
                : new ConduitException(ErrorCodes.PlatformUnavailable, $"The platform database refused the operation (SQLSTATE {sqlState}); the silo log has the cause.", sqlState);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseNamePattern();

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The platform database failed during {Operation}.")]
    private static partial void LogPlatformFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The platform database did not answer a ping.")]
    private static partial void LogPingFailed(ILogger logger, Exception exception);
}
