using Conduit.Client;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Conduit.Tests.Mongo;

/// <summary>
/// One silo and one MongoDB target for every Mongo test class: a quick MongoDB breaker (2 calls, 50 %,
/// 1 s open), a 2 s FREE query timeout, a 2 s connect timeout and a row cap of 50.
/// </summary>
public sealed class MongoSiloFixture(IMessageSink messages) : IAsyncLifetime
{
    public const string Collection = "mongo";
    public const int MaxRows = 50;

    private IHost? _clientHost;

    public ConduitSilo Silo { get; private set; } = null!;

    public MongoTarget Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Target = await MongoTarget.StartAsync();
        var line = $"Mongo integration tests run against {Target.Description}.";
        messages.OnMessage(new DiagnosticMessage(line));
        Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
        {
            ["Conduit:CircuitBreaker:MongoDb:MinimumThroughput"] = "2",
            ["Conduit:CircuitBreaker:MongoDb:FailureRatio"] = "0.5",
            ["Conduit:CircuitBreaker:MongoDb:SamplingDuration"] = "00:00:10",
            ["Conduit:CircuitBreaker:MongoDb:BreakDuration"] = "00:00:01",
            ["Conduit:Tiers:Free:QueryTimeout"] = "00:00:02",
            ["Conduit:DataPlane:ConnectTimeout"] = "00:00:02",
            ["Conduit:DataPlane:MaxRows"] = MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Creates a project with a MongoDB registration whose URL names a fresh database; returns the ref, its API key and the database.</summary>
    public async Task<(string Ref, string Key, string Database)> CreateProjectAsync(string tier = "PRO", string prefix = "m")
    {
        var projectRef = SiloApi.NewRef(prefix);
        var key = await Silo.CreateProjectAsync(projectRef, tier);
        var database = Target.NewDatabase();
        await Silo.AddDatabaseAsync(projectRef, "mongodb", Target.ConnectionStringFor(database));
        return (projectRef, key, database);
    }

    /// <summary>An Orleans client connected to the silo's gateway, shared by the client tests.</summary>
    public async Task<IConduit> ClientAsync()
    {
        if (_clientHost is null)
        {
            _clientHost = await Silo.ConnectClientAsync();
        }

        return _clientHost.Services.GetRequiredService<IConduit>();
    }

    public async Task DisposeAsync()
    {
        if (_clientHost is not null)
        {
            await _clientHost.StopAsync();
            _clientHost.Dispose();
        }

        await Silo.DisposeAsync();
        await Target.DisposeAsync();
    }
}

[CollectionDefinition(MongoSiloFixture.Collection)]
public sealed class MongoTestGroup : ICollectionFixture<MongoSiloFixture>;
