using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Api;

public sealed class ProjectApiTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task CreateProject_New_Returns201WithProjectKey()
    {
        var projectRef = SiloApi.NewRef();
        var response = await Silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier = "STARTER" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(projectRef, body.GetProperty("ref").GetString());
        Assert.Equal("STARTER", body.GetProperty("tier").GetString());
        Assert.StartsWith("cdt_", body.GetProperty("apiKey").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_Existing_Returns409()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);

        var response = await Silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier = "PRO" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "PROJECT_EXISTS");
    }

    [Theory]
    [InlineData("UPPER-case")]
    [InlineData("a")]
    [InlineData("proj_1")]
    [InlineData("../etc")]
    [InlineData("proj 1")]
    public async Task CreateProject_RefWithOddCharacters_Returns400NamingRef(string projectRef)
    {
        var response = await Silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = projectRef, tier = "PRO" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("ref:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_UnknownTier_Returns400NamingTier()
    {
        var response = await Silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = SiloApi.NewRef(), tier = "GOLD" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("tier: must be one of FREE, STARTER, PRO, ENTERPRISE.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CreateProject_MalformedJson_Returns400()
    {
        using var content = new StringContent("{\"ref\": \"abc\", \"tier\": ", Encoding.UTF8, "application/json");
        var response = await Silo.Admin.PostAsync("/api/platform/projects", content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
    }

    [Fact]
    public async Task CreateProject_WrongFieldType_Returns400NamingField()
    {
        using var content = new StringContent("{\"ref\": 12, \"tier\": \"PRO\"}", Encoding.UTF8, "application/json");
        var response = await Silo.Admin.PostAsync("/api/platform/projects", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("ref:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_OversizedBody_Returns413()
    {
        var huge = new string('x', 2 * 1024 * 1024);
        var response = await Silo.Admin.PostAsJsonAsync("/api/platform/projects", new { @ref = SiloApi.NewRef(), tier = "PRO", padding = huge });

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task CreateProject_WithoutKey_Returns401()
    {
        var response = await Silo.Http.PostAsJsonAsync("/api/platform/projects", new { @ref = SiloApi.NewRef(), tier = "PRO" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task CreateProject_WrongAdminKey_Returns401()
    {
        using var client = Silo.WithKey("not-the-admin-key");
        var response = await client.PostAsJsonAsync("/api/platform/projects", new { @ref = SiloApi.NewRef(), tier = "PRO" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task ProjectKey_OtherProjectsRoutes_Returns403()
    {
        var mine = SiloApi.NewRef();
        var theirs = SiloApi.NewRef();
        var key = await Silo.CreateProjectAsync(mine);
        await Silo.CreateProjectAsync(theirs);
        using var client = Silo.WithKey(key);

        await (await client.QueryAsync(theirs, "select 1")).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.RedisAsync(theirs, "GET", "k")).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.GetAsync($"/api/platform/projects/{theirs}")).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task ProjectKey_AdminRoutes_Returns403()
    {
        var mine = SiloApi.NewRef();
        var key = await Silo.CreateProjectAsync(mine);
        using var client = Silo.WithKey(key);

        await (await client.PutAsJsonAsync($"/api/platform/projects/{mine}/tier", new { tier = "ENTERPRISE" })).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.PostAsJsonAsync("/api/platform/projects", new { @ref = SiloApi.NewRef(), tier = "PRO" })).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await (await client.PostAsJsonAsync($"/api/platform/projects/{mine}/databases", new { type = "redis", connectionString = "localhost" })).AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task ProjectKey_OwnProjectRead_Returns200()
    {
        var mine = SiloApi.NewRef();
        var key = await Silo.CreateProjectAsync(mine, "FREE");
        using var client = Silo.WithKey(key);

        var response = await client.GetAsync($"/api/platform/projects/{mine}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("FREE", (await response.JsonAsync()).GetProperty("tier").GetString());
    }

    [Fact]
    public async Task GetProject_Unknown_Returns404()
    {
        var response = await Silo.Admin.GetAsync($"/api/platform/projects/{SiloApi.NewRef()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task SetTier_Existing_AppliesWithoutRestart()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef, "FREE");

        var response = await Silo.Admin.PutAsJsonAsync($"/api/platform/projects/{projectRef}/tier", new { tier = "enterprise" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await (await Silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/stats")).JsonAsync();
        Assert.Equal("ENTERPRISE", stats.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task SetTier_UnknownProject_Returns404()
    {
        var response = await Silo.Admin.PutAsJsonAsync($"/api/platform/projects/{SiloApi.NewRef()}/tier", new { tier = "PRO" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task AddDatabase_UnknownType_Returns400NamingType()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "oracle", connectionString = "x" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("type: must be one of postgresql, redis, mongodb.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AddDatabase_UnparseableConnectionString_Returns400WithoutRepeatingIt()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);
        const string Secret = "Host=db;Password=hunter2-secret;Bogus Keyword=1";

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "postgresql", connectionString = Secret });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        var text = problem.GetRawText();
        Assert.StartsWith("connectionString:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", Silo.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDatabase_Registered_NeverEchoesTheSecret()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "redis", connectionString = TestServers.Redis });
        var project = await Silo.Admin.GetStringAsync($"/api/platform/projects/{projectRef}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(TestServers.RedisPassword, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.RedisPassword, project, StringComparison.Ordinal);
        Assert.Contains("\"target\":\"127.0.0.1:", project, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDatabase_SameTypeAndNameTwice_Returns409()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);

        var response = await Silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "redis", connectionString = TestServers.Redis });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "DATABASE_EXISTS");
    }

    [Fact]
    public async Task Query_DatabaseNotRegistered_Returns404()
    {
        var projectRef = SiloApi.NewRef();
        await Silo.CreateProjectAsync(projectRef);

        var response = await Silo.Admin.QueryAsync(projectRef, "select 1");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "DATABASE_NOT_REGISTERED");
    }

    [Fact]
    public async Task Query_UnknownProject_Returns404()
    {
        var response = await Silo.Admin.QueryAsync(SiloApi.NewRef(), "select 1");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task SiloHealth_MemoryStore_Returns200()
    {
        var response = await Silo.Http.GetAsync("/api/platform/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("memory", body.GetProperty("platformStore").GetProperty("kind").GetString());
    }
}
