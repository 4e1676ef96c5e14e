using System.Net.Http.Json;

namespace Conduit.Bench.Infrastructure;

/// <summary>The admin REST calls the benchmark makes to register tenant projects and their databases.</summary>
internal static class SiloAdmin
{
    /// <summary>Registers a project with <paramref name="tier"/> (FREE, STARTER, PRO, ENTERPRISE).</summary>
    public static async Task CreateProjectAsync(this SiloProcess silo, string projectRef, string tier)
    {
        using var response = await silo.Admin.PostAsJsonAsync(new Uri("/api/platform/projects", UriKind.Relative), new { @ref = projectRef, tier }).ConfigureAwait(false);
        await EnsureAsync(response, $"create project {projectRef}").ConfigureAwait(false);
    }

    /// <summary>Registers a database (<c>postgresql</c>, <c>redis</c>, <c>mongodb</c>) for a project.</summary>
    public static async Task AddDatabaseAsync(this SiloProcess silo, string projectRef, string type, string connectionString, string? name = null)
    {
        using var response = await silo.Admin.PostAsJsonAsync(new Uri($"/api/platform/projects/{projectRef}/databases", UriKind.Relative), new { type, connectionString, name }).ConfigureAwait(false);
        await EnsureAsync(response, $"add {type} database to {projectRef}").ConfigureAwait(false);
    }

    /// <summary>The ref of the <paramref name="index"/>th project of <see cref="CreateProjectsAsync"/>.</summary>
    public static string ProjectRef(string prefix, int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}-{index}");

    /// <summary>Registers projects <paramref name="prefix"/>-<paramref name="first"/>… (<paramref name="count"/> of them) with the given databases, <paramref name="parallelism"/> at a time.</summary>
    public static async Task<IReadOnlyList<string>> CreateProjectsAsync(this SiloProcess silo, string prefix, int count, string tier, IReadOnlyList<(string Type, string ConnectionString)> databases, int parallelism = 16, Action<int>? progress = null, int first = 0)
    {
        var refs = Enumerable.Range(first, count).Select(i => ProjectRef(prefix, i)).ToArray();
        var done = 0;
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (projectRef, _) =>
        {
            await silo.CreateProjectAsync(projectRef, tier).ConfigureAwait(false);
            foreach (var (type, connectionString) in databases)
            {
                await silo.AddDatabaseAsync(projectRef, type, connectionString).ConfigureAwait(false);
            }

            progress?.Invoke(Interlocked.Increment(ref done));
        }).ConfigureAwait(false);
        return refs;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The silo refused to {what}: {(int)response.StatusCode} {body}");
        }
    }
}
