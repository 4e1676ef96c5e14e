using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Tests.Observability;

/// <summary>The Orleans dashboard at <c>/dashboard</c>: admin key only, and a real browser sees the running silo.</summary>
public sealed class DashboardTests(MetricsSiloFixture fixture) : IClassFixture<MetricsSiloFixture>
{
    private readonly ConduitSilo _silo = fixture.Silo;

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    [InlineData("/dashboard/ClusterStats")]
    [InlineData("/dashboard/index.min.js")]
    public async Task Dashboard_WithoutAdminKey_401WithBasicChallenge(string path)
    {
        var response = await _silo.Http.GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Dashboard_WrongOrProjectKey_401()
    {
        var projectRef = SiloApi.NewRef("db");
        var projectKey = await _silo.CreateProjectAsync(projectRef);
        using var wrong = new HttpClient { BaseAddress = new Uri(_silo.BaseUrl) };
        wrong.DefaultRequestHeaders.Authorization = Basic("admin", "not-the-key");
        using var project = _silo.WithKey(projectKey);

        await (await wrong.GetAsync("/dashboard/DashboardCounters")).AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await (await project.GetAsync("/dashboard/DashboardCounters")).AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Dashboard_AdminKeyAsBearerOrBasic_CountersShowTenantActivationsOnTheSilo()
    {
        var projectRef = SiloApi.NewRef("db");
        await _silo.CreateProjectWithPostgresAsync(projectRef);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        using var basic = new HttpClient { BaseAddress = new Uri(_silo.BaseUrl) };
        basic.DefaultRequestHeaders.Authorization = Basic("operator", _silo.AdminKey);
        var address = await SiloAddressAsync();

        var bearer = await _silo.Admin.GetAsync("/dashboard/DashboardCounters");
        var counters = await (await basic.GetAsync("/dashboard/DashboardCounters")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Contains(counters.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("siloAddress").GetString() == address && h.GetProperty("status").GetString() == "Active");
        Assert.Contains(counters.GetProperty("simpleGrainStats").EnumerateArray(), g =>
            g.GetProperty("grainType").GetString()!.EndsWith("ProjectConnectionGrain", StringComparison.Ordinal)
            && g.GetProperty("siloAddress").GetString() == address
            && g.GetProperty("activationCount").GetInt32() >= 1);
    }

    [Fact]
    public async Task Dashboard_GrainStateRoute_NotServedEvenToTheAdmin()
    {
        var response = await _silo.Admin.GetAsync("/dashboard/GrainState?grainId=p-1&grainType=Conduit.Tenancy.ProjectConnectionGrain");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_InHeadlessChromium_SilosPageShowsTheRunningSiloWithActivations()
    {
        var projectRef = SiloApi.NewRef("db");
        await _silo.CreateProjectWithPostgresAsync(projectRef);
        Assert.Equal(HttpStatusCode.OK, (await _silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        var address = await SiloAddressAsync();
        var withKey = new UriBuilder(_silo.BaseUrl) { UserName = "operator", Password = _silo.AdminKey, Path = "/dashboard/", Fragment = "/silos" }.Uri.ToString();

        var silos = await HeadlessChromium.RenderTextAsync(withKey, TimeSpan.FromSeconds(8));
        var grains = await HeadlessChromium.RenderTextAsync(withKey.Replace("#/silos", "#/grains", StringComparison.Ordinal), TimeSpan.FromSeconds(8));
        var anonymous = await HeadlessChromium.RenderTextAsync($"{_silo.BaseUrl}/dashboard/#/silos", TimeSpan.FromSeconds(4));

        Assert.True(silos.Contains("Active Silos 1", StringComparison.Ordinal), silos);
        Assert.Matches($"{System.Text.RegularExpressions.Regex.Escape(address)} Active .* \\d+ activations", silos);
        Assert.Contains("ProjectConnectionGrain", grains, StringComparison.Ordinal);
        Assert.DoesNotContain(address, anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("Active Silos", anonymous, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Disabled_NotMapped()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["Conduit:Dashboard:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await silo.Admin.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/platform/health")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_ProfilingOff_NoCallFilterOnTheDataPathButDashboardServed()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["Conduit:Dashboard:Profiling"] = "Off" });
        var projectRef = SiloApi.NewRef("db");
        await silo.CreateProjectWithPostgresAsync(projectRef);

        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.QueryAsync(projectRef, "select 1")).StatusCode);
        Assert.DoesNotContain(silo.App.Services.GetServices<IIncomingGrainCallFilter>(), f => f.GetType().Name == "GrainProfilerFilter");
        Assert.Contains(_silo.App.Services.GetServices<IIncomingGrainCallFilter>(), f => f.GetType().Name == "GrainProfilerFilter");
        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.GetAsync("/dashboard/DashboardCounters")).StatusCode);
    }

    [Fact]
    public void Dashboard_CounterSampling_FromConfigurationDefaultFiveSeconds()
    {
        var dashboard = _silo.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Dashboard.DashboardOptions>>().Value;

        Assert.Equal(1000, dashboard.CounterUpdateIntervalMs);
        Assert.Equal(TimeSpan.FromSeconds(5), new Conduit.Silo.Dashboard.ConduitDashboardOptions().CounterUpdateInterval);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<string> SiloAddressAsync() =>
        (await (await _silo.Http.GetAsync("/api/platform/health")).JsonAsync()).GetProperty("silo").GetProperty("address").GetString()!;
}
