using System.Globalization;
using Conduit.Bench.Infrastructure;
using Conduit.Bench.Reporting;
using Conduit.Client;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Bench.Scenarios;

/// <summary>
/// <c>mongo-find</c>: a find by <c>_id</c> on a seeded collection, two ways from the same frontend process:
/// direct MongoDB.Driver and through Conduit (<c>project.Mongo</c>).
/// </summary>
internal sealed class MongoFindScenario : IScenario
{
    /// <summary>Documents in the collection.</summary>
    /// <remarks>Kept small because the test server has no query planner: every find scans the collection.</remarks>
    public const int Documents = 1000;

    private const string Collection = "accounts";
    private static readonly int[] Concurrencies = [1, 16, 64];

    public string Name => "mongo-find";

    public string Summary => "MongoDB find by _id: direct MongoDB.Driver vs Conduit at c=1/16/64 (test server, or MONGODB_URL)";

    public async Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var setup = context.Task("mongo-find: server, silo, collection");
        var mongo = await context.MongoAsync().ConfigureAwait(false);
        var collection = mongo.Client.GetDatabase(mongo.Database).GetCollection<BsonDocument>(Collection);
        await SeedAsync(collection, cancellationToken).ConfigureAwait(false);
        var settings = SiloSettings.UnthrottledEnterprise();
        await using var silo = await context.StartSiloAsync(Name, settings).ConfigureAwait(false);
        await using var frontend = await BenchContext.ConnectAsync(silo, Name).ConfigureAwait(false);
        const string projectRef = "bench-mongo-find";
        await silo.CreateProjectAsync(projectRef, "ENTERPRISE").ConfigureAwait(false);
        await silo.AddDatabaseAsync(projectRef, "mongodb", mongo.ConnectionString(mongo.Database)).ConfigureAwait(false);
        var viaConduit = frontend.Conduit.Project(projectRef).Mongo.Collection(mongo.Database, Collection);
        setup.Increment(1);
        setup.StopTask();

        var random = Enumerable.Range(0, 64).Select(i => new Random(4000 + i)).ToArray();
        var modes = new List<ComparisonMode>
        {
            new("direct", w => DirectFindAsync(collection, random[w].Next(1, Documents + 1))),
            new("conduit", w => ConduitFindAsync(viaConduit, random[w].Next(1, Documents + 1))),
        };

        var measure = context.Measure(full: 10);
        var rounds = context.Quick ? 1 : 3;
        var results = await ThroughputComparison.RunAsync(context, Concurrencies, modes, context.Warmup(), measure, cancellationToken, rounds).ConfigureAwait(false);

        var report = new ScenarioReport(
            Name,
            "MongoDB find by _id",
            $"`find({{_id: <id>}})` with limit 1 and a random integer id on a {Documents:N0}-document collection ({{_id, name, balance}}), "
            + "each operation checked to return exactly one document, issued from this frontend process by closed-loop workers two ways: "
            + "**direct** MongoDB.Driver (one `MongoClient`, driver defaults: up to 100 pooled connections; documents read as `BsonDocument`) "
            + "and **conduit** (`project.Mongo.Collection(…).FindAsync`: the Orleans client → the silo process → the tenant grain's `MongoClient` → MongoDB, "
            + "documents returned as raw BSON and read as `BsonDocument`). Every figure is a ratio to direct, measured in the same run. "
            + (mongo.IsTestServer
                ? "The server is the wire-protocol test server inside the benchmark process, not a database: it serializes every command on one lock and scans the collection for each find, "
                  + "so at high concurrency both paths wait on it and the ratios understate what Conduit adds; set `MONGODB_URL` to measure against a real MongoDB."
                : "The server is the real MongoDB named by `MONGODB_URL`; `_id` is its default unique index."));
        var modeNames = modes.Select(m => m.Name).ToArray();
        ThroughputComparison.AddTable(report, "results", "Throughput and latency by concurrency", results, Concurrencies, modeNames);
        ThroughputComparison.AddCharts(report, "mongo-find", results, Concurrencies, modeNames, null);
        report.Settings["Per cell"] = $"{context.Warmup().TotalSeconds:0.#} s warm-up, {measure.TotalSeconds:0.#} s measured in {rounds} rounds alternating between the paths";
        report.Settings["Tenant"] = "ENTERPRISE tier";
        report.Settings["Silo settings"] = SiloSettings.Describe(settings);
        context.DescribeServers(report);

        var added = results[(16, "conduit")].P99Ms - results[(16, "direct")].P99Ms;
        report.Goals.Add(new GoalResult("Added p99 at c=16", "≤ 1 ms", $"{added:0.000} ms", context.Quick ? null : added <= 1.0));
        return report;
    }

    private static async Task SeedAsync(IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken)
    {
        await collection.Database.DropCollectionAsync(Collection, cancellationToken).ConfigureAwait(false);
        var documents = Enumerable.Range(1, Documents).Select(i => new BsonDocument
        {
            { "_id", i },
            { "name", string.Create(CultureInfo.InvariantCulture, $"account-{i}") },
            { "balance", (long)i * 7919 % 100_000 },
        });
        await collection.InsertManyAsync(documents, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask DirectFindAsync(IMongoCollection<BsonDocument> collection, int id)
    {
        using var cursor = await collection.FindAsync(new BsonDocument("_id", id), new FindOptions<BsonDocument> { Limit = 1 }).ConfigureAwait(false);
        var documents = await cursor.ToListAsync().ConfigureAwait(false);
        if (documents.Count != 1)
        {
            throw new InvalidOperationException($"The find by _id returned {documents.Count} documents.");
        }
    }

    private static async ValueTask ConduitFindAsync(ConduitMongoCollection collection, int id)
    {
        var documents = await collection.FindAsync(new BsonDocument("_id", id), limit: 1).ConfigureAwait(false);
        if (documents.Count != 1)
        {
            throw new InvalidOperationException($"The find by _id returned {documents.Count} documents.");
        }
    }
}
