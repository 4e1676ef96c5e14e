using Conduit.Tests.Cluster;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Observability;

/// <summary>Retention runs from one reminder on the singleton maintenance grain, however many silos there are.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class RetentionTests
{
    [Fact]
    public async Task Retention_TwoSiloCluster_OneReminderDeletesOnlyExpiredHistory()
    {
        await using var cluster = await ProcessCluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["Conduit__Retention__DueTime"] = "00:00:03",
            ["Conduit__Retention__Period"] = "00:01:00",
            ["Conduit__Retention__MetricsRetention"] = "1.00:00:00",
            ["Conduit__Retention__LogsRetention"] = "2.00:00:00",
        });
        var platform = cluster.Platform;
        const string insertMetric = "insert into platform.database_metrics (time, project_ref, database_type, metric_name, value) values (now() - $1::interval, 'retained-proj', 'postgresql', 'queries', 1)";
        const string insertLog = "insert into platform.database_connection_logs (time, project_ref, database_type, event_type) values (now() - $1::interval, 'retained-proj', 'redis', 'pool_opened')";
        await platform.ExecuteAsync(insertMetric, TimeSpan.FromDays(3));
        await platform.ExecuteAsync(insertMetric, TimeSpan.FromHours(1));
        await platform.ExecuteAsync(insertLog, TimeSpan.FromDays(3));
        await platform.ExecuteAsync(insertLog, TimeSpan.FromDays(1));

        // The first tick may have passed before the rows went in; the next comes a period later.
        await Eventually.TrueAsync(
            async () => await platform.ScalarAsync<long>("select count(*) from platform.database_metrics where project_ref = 'retained-proj'") == 1
                && await platform.ScalarAsync<long>("select count(*) from platform.database_connection_logs where project_ref = 'retained-proj'") == 1,
            TimeSpan.FromSeconds(100),
            "expired metric samples and events deleted by the retention job");

        Assert.Equal(1, await platform.ScalarAsync<long>("select count(*) from platform.database_metrics where project_ref = 'retained-proj' and time > now() - interval '2 hours'"));
        Assert.Equal(1, await platform.ScalarAsync<long>("select count(*) from platform.database_connection_logs where project_ref = 'retained-proj' and time > now() - interval '2 days'"));
        Assert.Equal(1, await platform.ScalarAsync<long>("select count(*) from orleans.reminders where reminder_name = 'platform-retention'"));
        Assert.Equal(0, await platform.ScalarAsync<long>("select count(*) from orleans.reminders where reminder_name = 'platform-retention' and grain_id not like '%singleton%'"));
        // The silo logs the deletion after the rows are gone: wait for the line, then check no other silo ran it.
        await Eventually.TrueAsync(() => Task.FromResult(cluster.Silos.Any(s => s.Output.Contains("Platform retention deleted", StringComparison.Ordinal))), TimeSpan.FromSeconds(10), "the retention log line");
        var ran = cluster.Silos.Count(s => s.Output.Contains("Platform retention deleted", StringComparison.Ordinal));
        Assert.Equal(1, ran);
    }
}
