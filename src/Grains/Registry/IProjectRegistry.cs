using Conduit.Model;

namespace Conduit.Registry;

/// <summary>
/// The store of projects and their databases. In-memory in the embedded default; the <c>platform</c>
/// schema in PostgreSQL when <c>DATABASE_URL</c> is set.
/// </summary>
/// <remarks>Connection strings pass through it sealed; it never sees them in clear.</remarks>
public interface IProjectRegistry
{
    /// <summary>The project, or null when it is not registered.</summary>
    Task<ProjectRecord?> GetProjectAsync(string projectRef, CancellationToken cancellationToken = default);

    /// <summary>Registers a project; throws <c>PROJECT_EXISTS</c> when the ref is taken.</summary>
    Task CreateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default);

    /// <summary>Changes a project's tier; false when the project does not exist.</summary>
    Task<bool> SetTierAsync(string projectRef, Tier tier, CancellationToken cancellationToken = default);

    /// <summary>The project's databases (empty when none or when the project does not exist).</summary>
    Task<IReadOnlyList<DatabaseRecord>> GetDatabasesAsync(string projectRef, CancellationToken cancellationToken = default);

    /// <summary>Registers a database; throws <c>PROJECT_NOT_FOUND</c> or <c>DATABASE_EXISTS</c>.</summary>
    Task AddDatabaseAsync(DatabaseRecord database, CancellationToken cancellationToken = default);

    /// <summary>True when the store answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
