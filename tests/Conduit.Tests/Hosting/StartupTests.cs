using Conduit.Silo.Hosting;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Conduit.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task CommandLine_Help_PrintsUsageInsteadOfStartingASilo(string flag)
    {
        var exit = await ConduitCommandLine.RunAsync([flag]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains("migrate", ConduitCommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseUrlWithoutCryptoKey_RefusesNamingTheVariable()
    {
        var error = await Assert.ThrowsAsync<StartupException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = TestServers.PostgresAdmin,
            ["PG_META_CRYPTO_KEY"] = null,
        }));

        Assert.Contains("PG_META_CRYPTO_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.PostgresPassword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MalformedCryptoKey_RefusesWithoutEchoingIt()
    {
        var error = await Assert.ThrowsAsync<StartupException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["PG_META_CRYPTO_KEY"] = "not-a-key-at-all",
        }));

        Assert.Contains("PG_META_CRYPTO_KEY", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-key-at-all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidTierConfiguration_StopsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:Tiers:Starter:MinPoolSize"] = "50",
        }));

        Assert.Contains("Conduit:Tiers:Starter:MinPoolSize (50) must not exceed Conduit:Tiers:Starter:MaxPoolSize (10).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OverriddenTierLimits_AreUsed()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:Tiers:Free:MaxPoolSize"] = "3",
        });
        var projectRef = SiloApi.NewRef("o");
        await silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        await silo.Admin.QueryAsync(projectRef, "select 1");

        var stats = await silo.Grains.GetGrain<Projects.IProjectConnectionGrain>(projectRef).GetStatsAsync();

        Assert.Equal(3, stats.Databases.Single().Pool.MaxSize);
    }
}
