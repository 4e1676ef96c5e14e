using System.Diagnostics;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>tenants</c>: how many idle tenant grains one silo holds: memory per activation and activation rate,
/// at 10,000 and then 100,000 tenants.
/// </summary>
internal sealed class TenantsScenario : IScenario
{
    private const int InFlight = 256;

    public string Name => "tenants";

    public string Summary => "activate 10,000 then 100,000 idle tenant grains in one silo: memory per activation, activation rate";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var steps = context.Options.Tenants ?? (context.Quick ? [1000] : [10_000, 100_000]);
        var postgres = await context.PostgresAsync().ConfigureAwait(false);
        var redis = await context.RedisAsync().ConfigureAwait(false);

        // Idle tenants never connect: their databases only need to be well-formed registrations.
        var pgConnection = postgres.ConnectionString("idle");
        var settings = new Dictionary<string, string>();
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);

        var table = new List<(int Tenants, double RegistryBytes, double GcBytes, double RssBytes, double Rate, int Active, double Counted)>();
        IReadOnlyList<(long Bytes, long Count, string Type)> growth = [];
        var registered = 0;
        var baseline = await SiloMemory.SnapshotAsync(silo.ProcessId, context.State.Path).ConfigureAwait(false);
        foreach (var target in steps.Order())
        {
            var register = context.Task($"tenants: register up to {target:N0} projects (PostgreSQL + Redis each)", target - registered);
            await silo.CreateProjectsAsync("idle", target - registered, "FREE", [("postgresql", pgConnection), ("redis", redis.Configuration())], parallelism: 32, progress: _ => register.Increment(1), first: registered).ConfigureAwait(false);
            registered = target;
            register.StopTask();

            await frontend.DeactivateAllAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            var before = await SiloMemory.SnapshotAsync(silo.ProcessId, context.State.Path).ConfigureAwait(false);
            var beforeRss = silo.ResidentBytes();
            var registryPerTenant = (before.Bytes - baseline.Bytes) / (double)target;

            var activate = context.Task($"tenants: activate {target:N0} grains, {InFlight} calls in flight", target);
            var all = Enumerable.Range(0, target).Select(i => SiloAdmin.ProjectRef("idle", i));
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (projectRef, _) =>
            {
                await frontend.Conduit.Project(projectRef).GetStatsAsync().ConfigureAwait(false);
                activate.Increment(1);
            }).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            activate.StopTask();
            var active = await frontend.CountTenantActivationsAsync().ConfigureAwait(false);
            var after = await SiloMemory.SnapshotAsync(silo.ProcessId, context.State.Path).ConfigureAwait(false);
            var afterRss = silo.ResidentBytes();
            growth = after.GrowthSince(before);

            // dotnet-gcdump may miss part of a large heap (lossy event buffering before .NET 11): the share
            // of the grains it counted tells how complete the walk was, and scales the figure back.
            var grains = growth.FirstOrDefault(t => t.Type.StartsWith("Conduit.Tenancy.ProjectConnectionGrain ", StringComparison.Ordinal)).Count;
            var counted = Math.Clamp(grains / (double)target, 0.01, 1.0);
            table.Add((target, registryPerTenant, (after.Bytes - before.Bytes) / (double)target / counted, (afterRss - beforeRss) / (double)target, target / seconds, active, counted));
            await frontend.DeactivateAllAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        }

        var report = new ScenarioReport(
            Name,
            "Idle tenants in one silo",
            "Tenant projects, each with a PostgreSQL and a Redis database registered (never connected), are registered through the admin API; every grain is "
            + $"then deactivated and the silo's memory read after a forced full GC. Then every tenant's grain is activated from this frontend process "
            + $"(`GetStatsAsync`, {InFlight} calls in flight: activation, registry read, the database slots with their breakers, the idle timer), "
            + "and memory is read again. **Per activation** = the difference ÷ tenants. Managed memory is the silo's live GC heap as `dotnet-gcdump` "
            + "counts it (a forced full GC and a heap walk); RSS is the process's resident memory, which the GC does not hand back at once, so it is a rough "
            + "figure. The ratio column compares with the 20 KB goal; there is no direct-driver equivalent of an idle tenant.");
        var result = report.AddTable(
            "tenants",
            "Memory per idle activation and activation rate",
            new ReportColumn("tenants", "Tenants", ColumnKind.Count),
            new ReportColumn("activeGrains", "Active grains", ColumnKind.Count),
            new ReportColumn("managedBytesPerActivation", "Managed memory per activation", ColumnKind.Bytes),
            new ReportColumn("heapWalkCompleteness", "Grains seen by the heap walk", ColumnKind.Ratio),
            new ReportColumn("goalRatio", "× 20 KB goal", ColumnKind.Ratio),
            new ReportColumn("rssBytesPerActivation", "RSS per activation", ColumnKind.Bytes),
            new ReportColumn("registryBytesPerTenant", "Registry per tenant (inactive)", ColumnKind.Bytes),
            new ReportColumn("activationsPerSecond", "Activations/s", ColumnKind.Rate));
        foreach (var row in table)
        {
            result.Add(row.Tenants, row.Active, row.GcBytes, row.Counted, row.GcBytes / (20 * 1024.0), row.RssBytes, row.RegistryBytes, row.Rate);
            if (row.Counted < 0.98)
            {
                report.Notes.Add($"At {row.Tenants:N0} tenants the heap walk saw {100 * row.Counted:0} % of the tenant grains (dotnet-gcdump's lossy buffering on a large heap): managed memory per activation is scaled by that share, and the per-type table counts only what was seen.");
            }
        }

        var largest = table.Count > 0 ? table[^1].Tenants : 1;
        var types = report.AddTable(
            "heap-growth",
            $"Where an idle activation's memory goes (heap growth by type at {largest:N0} tenants, per grain the heap walk saw, largest first)",
            new ReportColumn("type", "Type", ColumnKind.Text),
            new ReportColumn("bytesPerActivation", "Bytes per activation", ColumnKind.Count),
            new ReportColumn("objectsPerActivation", "Objects per activation", ColumnKind.Ratio));
        foreach (var (bytes, count, type) in growth.Take(12))
        {
            types.Add(type.Replace("|", "\\|", StringComparison.Ordinal), bytes / (double)largest / table[^1].Counted, count / (double)largest / table[^1].Counted);
        }

        report.Charts.Add(new ChartSpec(
            "memory",
            "Memory per idle tenant activation",
            "KiB",
            [.. table.Select(r => $"{r.Tenants:N0} tenants")],
            [
                ("managed heap", [.. table.Select(r => r.GcBytes / 1024)]),
                ("RSS", [.. table.Select(r => r.RssBytes / 1024)]),
            ],
            (20, "goal ≤ 20 KB")));
        report.Settings["Silo settings"] = SiloSettings.Describe(settings) + " (in-memory registry, idle timeout 5 min, so nothing deactivates during a step)";
        context.DescribeServers(report);
        foreach (var row in table)
        {
            report.Goals.Add(new GoalResult($"Memory per idle activation at {row.Tenants:N0} tenants", "≤ 20 KB", $"{row.GcBytes / 1024:0.0} KiB managed, {row.RssBytes / 1024:0.0} KiB RSS", context.Quick ? null : row.GcBytes <= 20 * 1024));
            if (row.Active < row.Tenants)
            {
                report.Notes.Add($"At {row.Tenants:N0} tenants only {row.Active:N0} grains were active when counted.");
            }
        }

        return report;
    }
}
