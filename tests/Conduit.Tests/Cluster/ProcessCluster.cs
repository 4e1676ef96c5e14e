using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Npgsql;

namespace Conduit.Tests.Cluster;

/// <summary>
/// Silo processes in cluster mode sharing one freshly migrated platform database (and its own cluster
/// id), plus the tenants a test gives them. Everything is stopped and dropped on dispose.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly PlatformDatabase _platform;
    private readonly Dictionary<string, string?> _environment;
    private readonly List<string> _tenantDatabases = [];

    private ProcessCluster(PlatformDatabase platform, Dictionary<string, string?> environment, string adminKey)
    {
        _platform = platform;
        _environment = environment;
        AdminKey = adminKey;
    }

    public string AdminKey { get; }

    public List<SiloProcess> Silos { get; } = [];

    public PlatformDatabase Platform => _platform;

    /// <summary>Migrates a new platform database and starts <paramref name="silos"/> silos on it, in parallel.</summary>
    public static async Task<ProcessCluster> StartAsync(int silos, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var platform = await PlatformDatabase.CreateAsync();
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit__AdminKeyFile"] = Path.Combine(Path.GetTempPath(), $"conduit-admin-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var cluster = new ProcessCluster(platform, environment, "cluster-admin-" + Guid.NewGuid().ToString("N"));
        try
        {
            cluster.Silos.AddRange(await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => SiloProcess.StartAsync(environment, cluster.AdminKey))));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts one more silo; it joins the running ones.</summary>
    public async Task<SiloProcess> AddSiloAsync()
    {
        var silo = await SiloProcess.StartAsync(_environment, AdminKey);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>
    /// Creates one tenant database and <paramref name="count"/> FREE projects that all register it, so
    /// every project's pool shows up in that database's <c>pg_stat_activity</c>; returns the refs and the database.
    /// </summary>
    public async Task<(IReadOnlyList<string> Refs, string Database)> CreatePostgresTenantsAsync(int count, string prefix)
    {
        var connectionString = await TestServers.CreateDatabaseAsync("tenants");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        _tenantDatabases.Add(database);
        var refs = Enumerable.Range(0, count).Select(_ => SiloApi.NewRef(prefix)).ToList();
        var admin = Silos[0].Admin;
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (projectRef, ct) =>
        {
            var created = await admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier = "FREE" }, ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var added = await admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "postgresql", connectionString }, ct);
            Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync(ct));
        });
        return (refs, database);
    }

    /// <summary>Runs <c>select 1</c> for every tenant through <paramref name="via"/>; all must succeed.</summary>
    public static async Task QueryAllAsync(SiloProcess via, IEnumerable<string> refs) =>
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (projectRef, ct) =>
        {
            using var response = await via.Admin.QueryAsync(projectRef, "select 1");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{projectRef}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        });

    /// <summary>The cluster view (<c>GET /api/platform/cluster</c>) as seen by <paramref name="via"/>.</summary>
    public static async Task<JsonElement> ViewAsync(SiloProcess via)
    {
        using var response = await via.Admin.GetAsync("/api/platform/cluster");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Tenant activations per active silo endpoint that answered, from the cluster view.</summary>
    public static Dictionary<string, int> TenantsBySilo(JsonElement view) =>
        view.GetProperty("silos").EnumerateArray()
            .Where(s => s.GetProperty("status").GetString() == "active" && s.GetProperty("tenantActivations").ValueKind == JsonValueKind.Number)
            .ToDictionary(s => s.GetProperty("endpoint").GetString()!, s => s.GetProperty("tenantActivations").GetInt32());

    /// <summary>
    /// Waits until every one of <paramref name="silos"/> owns tenants and the spread has not changed for
    /// <paramref name="quiet"/> (longer than two rebalancer cycles), so no migration is in flight.
    /// </summary>
    /// <remarks>
    /// A silo that hangs in the middle of a migration leaves the calls queued on the migrating activations
    /// waiting for Orleans' response timeout (docs/OPERATIONS.md, Failover);
    /// the failover tests measure failure detection and reactivation, so they start from a settled cluster.
    /// </remarks>
    public static async Task WaitForSettledSpreadAsync(SiloProcess via, IReadOnlyList<SiloProcess> silos, TimeSpan quiet, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = string.Empty;
        var changedAt = DateTime.UtcNow;
        while (true)
        {
            var spread = TenantsBySilo(await ViewAsync(via));
            var key = string.Join(',', spread.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            if (key != last)
            {
                (last, changedAt) = (key, DateTime.UtcNow);
            }
            else if (silos.All(s => spread.GetValueOrDefault(s.Endpoint) > 0) && DateTime.UtcNow - changedAt >= quiet)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the tenants' spread did not settle over every silo within {within.TotalSeconds:0} s (last: {last})");
            await Task.Delay(250);
        }
    }

    /// <summary>The membership status of <paramref name="silo"/> in the view, or null when it is not listed.</summary>
    public static string? StatusOf(JsonElement view, SiloProcess silo) =>
        view.GetProperty("silos").EnumerateArray()
            .Where(s => s.GetProperty("endpoint").GetString() == silo.Endpoint)
            .Select(s => s.GetProperty("status").GetString())
            .LastOrDefault();

    /// <summary>Server connections the tenants' live activations hold (open + idle of each pool), from their stats.</summary>
    public static async Task<int> OwnedConnectionsAsync(SiloProcess via, IEnumerable<string> refs)
    {
        var total = 0;
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (projectRef, ct) =>
        {
            using var response = await via.Admin.GetAsync($"/api/platform/projects/{projectRef}/stats", ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stats = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var owned = stats.GetProperty("databases").EnumerateArray().Sum(d => d.GetProperty("pool").GetProperty("active").GetInt32() + d.GetProperty("pool").GetProperty("idle").GetInt32());
            Interlocked.Add(ref total, owned);
        });
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await _platform.DisposeAsync();
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdmin);
        await connection.OpenAsync();
        foreach (var database in _tenantDatabases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_environment["Conduit__AdminKeyFile"] is { } keyFile && File.Exists(keyFile))
        {
            File.Delete(keyFile);
        }
    }
}
