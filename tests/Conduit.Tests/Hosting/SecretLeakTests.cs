using System.Net.Http.Json;
using Conduit.Tests.Api;
using Conduit.Tests.Infrastructure;
using Npgsql;

namespace Conduit.Tests.Hosting;

public sealed class SecretLeakTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Passwords_AcrossSuccessAndFailure_NeverInLogsOrResponses()
    {
        var silo = fixture.Silo;
        var responses = new List<string>();
        var projectRef = SiloApi.NewRef("s");
        var key = await silo.CreateProjectAsync(projectRef);
        var connectionString = await TestServers.CreateDatabaseAsync();
        const string WrongPassword = "wrong-password-9f8e7d";
        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = WrongPassword }.ConnectionString;

        async Task Record(Task<HttpResponseMessage> call) => responses.Add(await (await call).Content.ReadAsStringAsync());

        await Record(silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "postgresql", connectionString }));
        await Record(silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "postgresql", name = "wrong", connectionString = wrong }));
        await Record(silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/databases", new { type = "redis", connectionString = TestServers.Redis }));
        await Record(silo.Admin.QueryAsync(projectRef, "select 1"));
        await Record(silo.Admin.QueryAsync(projectRef, "selec 1"));
        await Record(silo.Admin.PostAsJsonAsync($"/api/platform/projects/{projectRef}/postgresql/query", new { sql = "select 1", database = "wrong" }));
        await Record(silo.Admin.RedisAsync(projectRef, "SET", "k", "v"));
        await Record(silo.Admin.GetAsync($"/api/platform/projects/{projectRef}"));
        await Record(silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/health"));
        await Record(silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/stats"));
        await Record(silo.Http.GetAsync("/api/platform/health"));

        Assert.Contains(responses, r => r.Contains("28P01", StringComparison.Ordinal));
        var everything = string.Join('\n', responses) + '\n' + silo.Logs.All;
        foreach (var secret in new[] { TestServers.PostgresPassword, TestServers.RedisPassword, WrongPassword, key, silo.AdminKey })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
