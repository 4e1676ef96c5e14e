using System.Net;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Observability;

/// <summary>The per-project label policy: series leave with the grain, and a cap bounds how many projects have their own.</summary>
public sealed class MetricsSeriesPolicyTests
{
    [Fact]
    public async Task Metrics_ProjectDeactivated_ItsSeriesDisappear()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:IdleCleanup:IdleTimeout"] = "00:00:02",
            ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",
            ["Conduit:IdleCleanup:ReminderPeriod"] = "00:00:05",
        });
        var projectRef = SiloApi.NewRef("d");
        await silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        await silo.Admin.QueryAsync(projectRef, "select 1");
        await (await silo.Admin.QueryAsync(projectRef, "select nope")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        var label = $"project=\"{projectRef}\"";
        var before = await silo.Http.GetStringAsync("/metrics");
        Assert.Equal(2, MetricsText.Value(before, "db_queries_total", label));
        Assert.Equal(1, MetricsText.Value(before, "db_errors_total", label));

        await Eventually.TrueAsync(
            async () => !(await silo.Http.GetStringAsync("/metrics")).Contains(label, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "every series of the idle, deactivated project should be removed");

        Assert.Contains(silo.Logs.Lines, l => l.Contains($"Project {projectRef}: idle for", StringComparison.Ordinal));
        var after = await silo.Http.GetStringAsync("/metrics");
        Assert.True(MetricsText.Value(after, "db_query_duration_seconds_count", "database_type=\"postgresql\"", "tier=\"FREE\"") >= 2, "histograms carry no project and keep their counts");
    }

    [Fact]
    public async Task Metrics_PastTheProjectCap_CountedUnderOtherAndOpenBreakersStillNamed()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:Metrics:MaxProjectSeries"] = "1",
            ["Conduit:Metrics:ProjectSeriesTiers"] = "PRO,ENTERPRISE",
            ["Conduit:IdleCleanup:CheckInterval"] = "00:00:00.250",
        });
        var free = SiloApi.NewRef("c");
        var first = SiloApi.NewRef("c");
        var second = SiloApi.NewRef("c");
        await silo.CreateProjectWithPostgresAsync(free, "FREE");
        await silo.CreateProjectWithPostgresAsync(first, "PRO");
        await silo.CreateProjectWithPostgresAsync(second, "PRO");
        await silo.Admin.QueryAsync(free, "select 1");
        await silo.Admin.QueryAsync(first, "select 1");
        await silo.Admin.QueryAsync(second, "select 1");
        await silo.Admin.QueryAsync(second, "select 1");
        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.PostAsync($"/api/platform/projects/{second}/breakers/postgresql/isolate", null)).StatusCode);

        string text = string.Empty;
        await Eventually.TrueAsync(
            async () => MetricsText.Value(text = await silo.Http.GetStringAsync("/metrics"), "circuit_breaker_state", $"project=\"{second}\"") == 3,
            TimeSpan.FromSeconds(20),
            "an isolated breaker shows its project even past the cap");

        Assert.Equal(1, MetricsText.Value(text, "db_queries_total", $"project=\"{first}\""));
        Assert.Empty(MetricsText.Samples(text, "db_queries_total", $"project=\"{second}\""));
        Assert.Empty(MetricsText.Samples(text, "db_queries_total", $"project=\"{free}\""));
        Assert.Equal(2, MetricsText.Value(text, "db_queries_total", "project=\"_other\"", "tier=\"PRO\""));
        Assert.Equal(1, MetricsText.Value(text, "db_queries_total", "project=\"_other\"", "tier=\"FREE\""));
        Assert.Equal(1, MetricsText.Value(text, "conduit_metrics_projects", "series=\"own\""));
        Assert.Equal(2, MetricsText.Value(text, "conduit_metrics_projects", "series=\"other\""));
        Assert.Equal(1, MetricsText.Value(text, "conduit_circuit_breakers", "database_type=\"postgresql\"", "tier=\"PRO\"", "state=\"isolated\""));
        await PromTool.AssertValidExpositionAsync(text);
    }

    [Fact]
    public async Task Metrics_AdminKeyRequired_401WithoutKeyAnd200WithIt()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["Conduit:Metrics:RequireAdminKey"] = "true" });

        await (await silo.Http.GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await silo.Http.GetAsync("/api/platform/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Silo_UnknownTierInProjectSeriesTiers_RefusesToStartNamingTheKey()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ConduitSilo.StartAsync(new Dictionary<string, string?> { ["Conduit:Metrics:ProjectSeriesTiers"] = "PRO,GOLD" }));

        Assert.Contains("Conduit:Metrics:ProjectSeriesTiers", e.Message, StringComparison.Ordinal);
        Assert.Contains("GOLD", e.Message, StringComparison.Ordinal);
    }
}
