using System.Collections.Concurrent;
using Conduit.Errors;
using Conduit.Model;

namespace Conduit.Registry;

/// <summary>
/// The embedded default registry: projects live in the silo's memory and are gone when it stops.
/// Only valid for a single silo; a cluster uses <c>PostgresProjectRegistry</c>.
/// </summary>
public sealed class InMemoryProjectRegistry : IProjectRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _projects = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(string projectRef, CancellationToken cancellationToken = default) =>
        Task.FromResult(_projects.TryGetValue(projectRef, out var entry) ? entry.Project : null);

    /// <inheritdoc />
    public Task CreateProjectAsync(ProjectRecord project, CancellationToken cancellationToken = default)
    {
        if (!_projects.TryAdd(project.Ref, new Entry(project)))
        {
            throw new ConduitException(ErrorCodes.ProjectExists, $"Project '{project.Ref}' exists already.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> SetTierAsync(string projectRef, Tier tier, CancellationToken cancellationToken = default)
    {
        if (!_projects.TryGetValue(projectRef, out var entry))
        {
            return Task.FromResult(false);
        }

        lock (entry)
        {
            entry.Project = entry.Project with { Tier = tier };
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DatabaseRecord>> GetDatabasesAsync(string projectRef, CancellationToken cancellationToken = default)
    {
        if (!_projects.TryGetValue(projectRef, out var entry))
        {
            return Task.FromResult<IReadOnlyList<DatabaseRecord>>([]);
        }

        lock (entry)
        {
            return Task.FromResult<IReadOnlyList<DatabaseRecord>>([.. entry.Databases]);
        }
    }

    /// <inheritdoc />
    public Task AddDatabaseAsync(DatabaseRecord database, CancellationToken cancellationToken = default)
    {
        if (!_projects.TryGetValue(database.ProjectRef, out var entry))
        {
            throw new ConduitException(ErrorCodes.ProjectNotFound, $"Project '{database.ProjectRef}' is not registered.");
        }

        lock (entry)
        {
            if (entry.Databases.Any(d => d.Type == database.Type && d.Name == database.Name))
            {
                throw new ConduitException(ErrorCodes.DatabaseExists, $"Project '{database.ProjectRef}' has a {database.Type.ToWireName()} database named '{database.Name}' already.");
            }

            entry.Databases.Add(database);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    private sealed class Entry(ProjectRecord project)
    {
        public ProjectRecord Project { get; set; } = project;

        public List<DatabaseRecord> Databases { get; } = [];
    }
}
