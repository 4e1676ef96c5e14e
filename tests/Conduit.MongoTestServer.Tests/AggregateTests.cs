using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class AggregateTests
{
    [Fact]
    public async Task Aggregate_MatchGroupSort_ComputesEveryAccumulator()
    {
        await using var context = await SeededAsync();

        var groups = await context.Collection("sales").Aggregate<BsonDocument>(Stages(
            "{ $match: { qty: { $gt: 0 } } }",
            "{ $group: { _id: '$region', total: { $sum: '$qty' }, orders: { $sum: 1 }, avg: { $avg: '$qty' }, min: { $min: '$qty' }, max: { $max: '$qty' }, first: { $first: '$item' }, last: { $last: '$item' }, items: { $push: '$item' }, n: { $count: {} } } }",
            "{ $sort: { total: -1 } }")).ToListAsync();

        Assert.Equal(
            [
                BsonDocument.Parse("{ _id: 'north', total: 15, orders: 3, avg: 5.0, min: 2, max: 10, first: 'pen', last: 'ink', items: ['pen', 'pad', 'ink'], n: 3 }"),
                BsonDocument.Parse("{ _id: 'south', total: 4, orders: 1, avg: 4.0, min: 4, max: 4, first: 'pad', last: 'pad', items: ['pad'], n: 1 }"),
            ],
            groups);
    }

    [Fact]
    public async Task Aggregate_GroupByCompoundId_GroupsOnEveryKeyField()
    {
        await using var context = await SeededAsync();

        var groups = await context.Collection("sales").Aggregate<BsonDocument>(Stages(
            "{ $group: { _id: { region: '$region', item: '$item' }, qty: { $sum: '$qty' } } }",
            "{ $sort: { '_id.region': 1, '_id.item': 1 } }",
            "{ $limit: 2 }")).ToListAsync();

        Assert.Equal(
            [BsonDocument.Parse("{ _id: { region: 'north', item: 'ink' }, qty: 3 }"), BsonDocument.Parse("{ _id: { region: 'north', item: 'pad' }, qty: 2 }")],
            groups);
    }

    [Fact]
    public async Task Aggregate_ProjectSkipLimit_ShapesAndPagesResults()
    {
        await using var context = await SeededAsync();

        var page = await context.Collection("sales").Aggregate<BsonDocument>(Stages(
            "{ $sort: { _id: 1 } }",
            "{ $skip: 1 }",
            "{ $limit: 2 }",
            "{ $project: { _id: 0, item: 1, double: { $multiply: ['$qty', 2] }, label: { $concat: ['$region', '-', '$item'] } } }")).ToListAsync();

        Assert.Equal(
            [BsonDocument.Parse("{ item: 'pad', double: 4, label: 'north-pad' }"), BsonDocument.Parse("{ item: 'pad', double: 8, label: 'south-pad' }")],
            page);
    }

    [Fact]
    public async Task Aggregate_CountUnsetAndAddFields_ProduceExpectedShape()
    {
        await using var context = await SeededAsync();
        var sales = context.Collection("sales");

        var count = await sales.Aggregate<BsonDocument>(Stages("{ $match: { region: 'north' } }", "{ $count: 'orders' }")).SingleAsync();
        var shaped = await sales.Aggregate<BsonDocument>(Stages(
            "{ $match: { _id: 1 } }", "{ $addFields: { big: { $gte: ['$qty', 10] } } }", "{ $unset: ['region', 'qty'] }")).SingleAsync();

        Assert.Equal(BsonDocument.Parse("{ orders: 3 }"), count);
        Assert.Equal(BsonDocument.Parse("{ _id: 1, item: 'pen', big: true }"), shaped);
    }

    [Fact]
    public async Task Aggregate_TypedLinqGroup_TranslatesAndRuns()
    {
        await using var context = await SeededAsync();
        var sales = context.Database.GetCollection<Sale>("sales");

        var totals = await sales.Aggregate()
            .Group(s => s.Region, g => new { Region = g.Key, Qty = g.Sum(s => s.Qty), Orders = g.Count() })
            .SortBy(x => x.Region)
            .ToListAsync();

        Assert.Equal([("north", 15, 3), ("south", 4, 2)], totals.Select(t => (t.Region, t.Qty, t.Orders)));
    }

    [Fact]
    public async Task Aggregate_LargeResultWithSmallBatch_IteratesThroughGetMore()
    {
        await using var context = await MongoTestContext.StartAsync();
        var numbers = context.Collection("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 300).Select(i => new BsonDocument("_id", i)));

        var all = await numbers.Aggregate<BsonDocument>(Stages("{ $sort: { _id: -1 } }"), new AggregateOptions { BatchSize = 16 }).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 300).Reverse(), all.Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Aggregate_UnknownStage_ThrowsCommandException40324()
    {
        await using var context = await SeededAsync();

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() =>
            context.Collection("sales").Aggregate<BsonDocument>(Stages("{ $bogus: {} }")).ToListAsync());

        Assert.Equal(40324, ex.Code);
    }

    private static PipelineDefinition<BsonDocument, BsonDocument> Stages(params string[] stages) =>
        PipelineDefinition<BsonDocument, BsonDocument>.Create(stages.Select(BsonDocument.Parse));

    private static async Task<MongoTestContext> SeededAsync()
    {
        var context = await MongoTestContext.StartAsync();
        await context.Collection("sales").InsertManyAsync(
        [
            BsonDocument.Parse("{ _id: 1, region: 'north', item: 'pen', qty: 10 }"),
            BsonDocument.Parse("{ _id: 2, region: 'north', item: 'pad', qty: 2 }"),
            BsonDocument.Parse("{ _id: 3, region: 'south', item: 'pad', qty: 4 }"),
            BsonDocument.Parse("{ _id: 4, region: 'north', item: 'ink', qty: 3 }"),
            BsonDocument.Parse("{ _id: 5, region: 'south', item: 'pen', qty: 0 }"),
        ]);
        return context;
    }

    private sealed class Sale
    {
        [BsonId]
        public int Id { get; set; }

        [BsonElement("region")]
        public string Region { get; set; } = string.Empty;

        [BsonElement("item")]
        public string Item { get; set; } = string.Empty;

        [BsonElement("qty")]
        public int Qty { get; set; }
    }
}
