using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Conduit.Tests.Cluster;

/// <summary>The default grain storage of a cluster-mode silo runs on migration 006, with the version as ETag.</summary>
public sealed class GrainStorageTests : IAsyncLifetime
{
    private PlatformDatabase _platform = null!;
    private ConduitSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _platform = await PlatformDatabase.CreateAsync();
        _silo = await ConduitSilo.StartAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = _platform.ConnectionString, ["PG_META_CRYPTO_KEY"] = CryptoKey.Generate().ToBase64() });
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task WriteReadClear_DefaultStorage_RoundTripsWithVersionAsETag()
    {
        var storage = _silo.App.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var grainId = GrainId.Create("conduit-test", SiloApi.NewRef("gs"));
        var state = new GrainState<List<string>> { State = ["first"] };

        await storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, state);
        Assert.Equal("1", state.ETag);

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("Conduit.Test.StateGrain", grainId, read);
        Assert.Equal(["first"], read.State);
        Assert.Equal(("1", true), (read.ETag, read.RecordExists));

        read.State = ["second"];
        await storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, read);
        Assert.Equal("2", read.ETag);

        await storage.ClearStateAsync("Conduit.Test.StateGrain", grainId, read);
        var cleared = new GrainState<List<string>>();
        await storage.ReadStateAsync("Conduit.Test.StateGrain", grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal(new List<string>(), cleared.State);
        Assert.Equal("3", cleared.ETag);
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsTheNewerState()
    {
        var storage = _silo.App.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var grainId = GrainId.Create("conduit-test", SiloApi.NewRef("gs"));
        var first = new GrainState<List<string>> { State = ["from the old owner"] };
        await storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, first);
        var newer = new GrainState<List<string>>();
        await storage.ReadStateAsync("Conduit.Test.StateGrain", grainId, newer);
        newer.State = ["from the new owner"];
        await storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, newer);

        first.State = ["stale write"];
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("Conduit.Test.StateGrain", grainId, new GrainState<List<string>> { State = ["as if new"] }));

        var read = new GrainState<List<string>>();
        await storage.ReadStateAsync("Conduit.Test.StateGrain", grainId, read);
        Assert.Equal(["from the new owner"], read.State);
    }
}
