using System.Net;
using System.Net.Http.Json;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;

namespace Conduit.Tests.Cluster;

/// <summary>
/// Reminders at scale: only projects with open pools hold a reminder, so thousands of projects used once
/// and then left idle end with no row in the reminders table and no activation.
/// </summary>
public sealed class RemindersAtScaleTests
{
    private const int Projects = 2000;

    [Fact]
    public async Task ManyProjects_UsedOnceThenIdle_LeaveNoReminderAndNoActivation()
    {
        await using var platform = await PlatformDatabase.CreateAsync();
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = platform.ConnectionString,
            ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64(),
            ["Conduit:IdleCleanup:IdleTimeout"] = "00:00:02",
            ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.500",
            ["Conduit:IdleCleanup:ReminderPeriod"] = "00:00:03",
        });
        var prefix = "rs" + Guid.NewGuid().ToString("N")[..8];
        var refs = Enumerable.Range(0, Projects).Select(i => $"{prefix}-{i:0000}").ToList();
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (projectRef, ct) =>
        {
            var created = await silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier = "FREE" }, ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var added = await silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "redis", connectionString = TestServers.Redis }, ct);
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        });

        var peak = 0L;
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (projectRef, ct) =>
        {
            using var response = await silo.Admin.RedisAsync(projectRef, "GET", "k");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (projectRef.EndsWith("00", StringComparison.Ordinal))
            {
                var now = await RemindersAsync(platform, prefix);
                InterlockedMax(ref peak, now);
            }
        });
        Assert.True(peak > 0, "projects with open pools should hold an idle-cleanup reminder in orleans.reminders");

        await Eventually.TrueAsync(async () => await RemindersAsync(platform, prefix) == 0 && await TenantActivationsAsync(silo) == 0, TimeSpan.FromSeconds(120), "idle projects should drop their reminders and deactivate");

        // Nothing is left to wake them: two reminder periods later there is still no activation.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(0, await TenantActivationsAsync(silo));
        Assert.Equal(0L, await RemindersAsync(platform, prefix));
    }

    private static Task<long> RemindersAsync(PlatformDatabase platform, string prefix) =>
        platform.ScalarAsync<long>("SELECT count(*) FROM orleans.reminders WHERE grain_id LIKE $1", $"%{prefix}-%");

    private static async Task<int> TenantActivationsAsync(ConduitSilo silo) =>
        (await (await silo.Admin.GetAsync("/api/platform/cluster")).JsonAsync()).GetProperty("tenantActivations").GetInt32();

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
