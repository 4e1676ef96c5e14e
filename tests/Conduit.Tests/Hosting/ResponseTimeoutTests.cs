using Conduit.Client;
using Conduit.Options;
using Conduit.Silo.Hosting;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Conduit.Tests.Hosting;

/// <summary>
/// Orleans fails a grain call after its response timeout (30 s by default) even while the grain still works
/// on it; a legal ENTERPRISE query may run 120 s. The silo and the client must wait longer than that.
/// </summary>
public sealed class ResponseTimeoutTests
{
    [Fact]
    public async Task Silo_ResponseTimeoutCoversTheLongestConfiguredTierCall()
    {
        await using var silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:Tiers:Enterprise:QueryTimeout"] = "00:05:00",
            ["Conduit:Tiers:Enterprise:AcquireTimeout"] = "00:00:20",
            ["Conduit:DataPlane:ConnectTimeout"] = "00:00:15",
        });

        var timeout = silo.App.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout;

        Assert.Equal(TimeSpan.FromSeconds(20 + 20 + 300 + 15) + OrleansSetup.ResponseTimeoutMargin, timeout);
    }

    [Fact]
    public void TierOptions_LongestCall_DefaultsCoverEnterprise()
    {
        var longest = new TierOptions().LongestCall(new DataPlaneOptions());

        Assert.True(longest >= TierDefaults.Enterprise.QueryTimeout + TierDefaults.Enterprise.AcquireTimeout, $"longest call {longest}");
    }

    [Fact]
    public void Client_ResponseTimeoutDefaultsBeyondTheLongestDefaultTierCall()
    {
        var services = new ServiceCollection();
        services.AddConduitClient();
        using var provider = services.BuildServiceProvider();

        var timeout = provider.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout;

        Assert.Equal(new ConduitClientOptions().ResponseTimeout, timeout);
        Assert.True(timeout > new TierOptions().LongestCall(new DataPlaneOptions()), $"client response timeout {timeout}");
    }
}
