using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace Conduit.MongoTestServer.Tests;

public sealed class FindTests
{
    private static readonly BsonDocument[] _items =
    [
        BsonDocument.Parse("{ _id: 1, n: 1, name: 'apple',  tags: ['red', 'fruit'], dims: { w: 5, h: 2 }, parts: [ { k: 'a', v: 1 } ] }"),
        BsonDocument.Parse("{ _id: 2, n: 2, name: 'Banana', tags: ['yellow', 'fruit'], dims: { w: 9, h: 3 }, parts: [ { k: 'b', v: 2 } ] }"),
        BsonDocument.Parse("{ _id: 3, n: 3, name: 'carrot', tags: ['orange', 'veg'], dims: { w: 1, h: 8 } }"),
        BsonDocument.Parse("{ _id: 4, n: 4, name: 'date',   tags: [], extra: null }"),
    ];

    [Theory]
    [InlineData("{ n: 2 }", "2")]
    [InlineData("{ n: { $eq: 2 } }", "2")]
    [InlineData("{ n: { $ne: 2 } }", "1,3,4")]
    [InlineData("{ n: { $gt: 2 } }", "3,4")]
    [InlineData("{ n: { $gte: 2, $lt: 4 } }", "2,3")]
    [InlineData("{ n: { $lte: 1 } }", "1")]
    [InlineData("{ n: { $in: [1, 4, 9] } }", "1,4")]
    [InlineData("{ n: { $nin: [1, 4] } }", "2,3")]
    [InlineData("{ 'dims.w': 9 }", "2")]
    [InlineData("{ dims: { w: 1, h: 8 } }", "3")]
    [InlineData("{ tags: 'fruit' }", "1,2")]
    [InlineData("{ tags: ['orange', 'veg'] }", "3")]
    [InlineData("{ 'parts.k': 'b' }", "2")]
    [InlineData("{ tags: { $size: 0 } }", "4")]
    [InlineData("{ dims: { $exists: false } }", "4")]
    [InlineData("{ extra: null }", "1,2,3,4")]
    [InlineData("{ extra: { $exists: true } }", "4")]
    [InlineData("{ $and: [ { n: { $gt: 1 } }, { tags: 'fruit' } ] }", "2")]
    [InlineData("{ $or: [ { n: 1 }, { name: 'date' } ] }", "1,4")]
    [InlineData("{ $nor: [ { n: 1 }, { n: 2 } ] }", "3,4")]
    [InlineData("{ n: { $not: { $gt: 2 } } }", "1,2")]
    [InlineData("{ name: { $regex: '^b', $options: 'i' } }", "2")]
    [InlineData("{ name: /rot$/ }", "3")]
    [InlineData("{ parts: { $elemMatch: { k: 'a', v: { $gte: 1 } } } }", "1")]
    [InlineData("{ tags: { $all: ['fruit', 'red'] } }", "1")]
    [InlineData("{ n: { $type: 'int' }, name: { $type: 'string' } }", "1,2,3,4")]
    [InlineData("{ $expr: { $gt: ['$dims.h', '$dims.w'] } }", "3")]
    public async Task Find_FilterOperator_ReturnsMatchingIds(string filter, string expectedIds)
    {
        await using var context = await SeededAsync();

        var found = await context.Collection("items").Find(BsonDocument.Parse(filter)).ToListAsync();

        Assert.Equal(expectedIds, string.Join(",", found.Select(d => d["_id"].AsInt32)));
    }

    [Fact]
    public async Task Find_WithSortSkipLimitAndProjection_ReturnsProjectedWindow()
    {
        await using var context = await SeededAsync();

        var found = await context.Collection("items")
            .Find(FilterDefinition<BsonDocument>.Empty)
            .Sort(Builders<BsonDocument>.Sort.Descending("n"))
            .Skip(1)
            .Limit(2)
            .Project(Builders<BsonDocument>.Projection.Include("name").Include("dims.w"))
            .ToListAsync();

        Assert.Equal(
            [BsonDocument.Parse("{ _id: 3, name: 'carrot', dims: { w: 1 } }"), BsonDocument.Parse("{ _id: 2, name: 'Banana', dims: { w: 9 } }")],
            found);
    }

    [Fact]
    public async Task Find_InclusionProjectionExcludingId_OmitsId()
    {
        await using var context = await SeededAsync();

        var found = await context.Collection("items").Find(Builders<BsonDocument>.Filter.Eq("_id", 1))
            .Project(Builders<BsonDocument>.Projection.Include("name").Exclude("_id"))
            .SingleAsync();

        Assert.Equal(BsonDocument.Parse("{ name: 'apple' }"), found);
    }

    [Fact]
    public async Task Find_ExclusionProjection_OmitsOnlyExcludedFields()
    {
        await using var context = await SeededAsync();

        var found = await context.Collection("items").Find(Builders<BsonDocument>.Filter.Eq("_id", 3))
            .Project(Builders<BsonDocument>.Projection.Exclude("tags").Exclude("dims.h"))
            .SingleAsync();

        Assert.Equal(BsonDocument.Parse("{ _id: 3, n: 3, name: 'carrot', dims: { w: 1 } }"), found);
    }

    [Fact]
    public async Task Find_MixedInclusionAndExclusion_ThrowsCommandException31254()
    {
        await using var context = await SeededAsync();

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => context.Collection("items")
            .Find(FilterDefinition<BsonDocument>.Empty)
            .Project(BsonDocument.Parse("{ name: 1, tags: 0 }"))
            .ToListAsync());

        Assert.Equal(31254, ex.Code);
    }

    [Fact]
    public async Task Find_SortAcrossTypes_UsesBsonComparisonOrder()
    {
        await using var context = await MongoTestContext.StartAsync();
        var mixed = context.Collection("mixed");
        await mixed.InsertManyAsync(
        [
            new BsonDocument { { "_id", "bool" }, { "v", true } },
            new BsonDocument { { "_id", "string" }, { "v", "text" } },
            new BsonDocument { { "_id", "double" }, { "v", 2.5 } },
            new BsonDocument { { "_id", "missing" } },
            new BsonDocument { { "_id", "object" }, { "v", new BsonDocument("a", 1) } },
            new BsonDocument { { "_id", "long" }, { "v", 2L } },
            new BsonDocument { { "_id", "date" }, { "v", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) } },
            new BsonDocument { { "_id", "int" }, { "v", 10 } },
            new BsonDocument { { "_id", "oid" }, { "v", ObjectId.Parse("65a000000000000000000000") } },
        ]);

        var order = await mixed.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("v")).ToListAsync();

        Assert.Equal(["missing", "long", "double", "int", "string", "object", "oid", "bool", "date"], order.Select(d => d["_id"].AsString));
    }

    [Fact]
    public async Task Find_LargeResultWithSmallBatchSize_IteratesEverythingThroughGetMore()
    {
        var getMores = 0;
        await using var context = await MongoTestContext.StartAsync(settings => settings.ClusterConfigurator = builder =>
            builder.Subscribe<CommandStartedEvent>(e =>
            {
                if (e.CommandName == "getMore")
                {
                    Interlocked.Increment(ref getMores);
                }
            }));
        var numbers = context.Collection("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 250).Select(i => new BsonDocument { { "_id", i }, { "even", i % 2 == 0 } }));
        getMores = 0;

        var evens = await numbers.Find(Builders<BsonDocument>.Filter.Eq("even", true), new FindOptions { BatchSize = 7 }).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 125).Select(i => i * 2), evens.Select(d => d["_id"].AsInt32));
        Assert.True(getMores >= 125 / 7, $"expected the driver to page with getMore, saw {getMores} commands");
    }

    [Fact]
    public async Task CursorDispose_BeforeExhausted_KillsServerCursor()
    {
        var killed = new List<int>();
        await using var context = await MongoTestContext.StartAsync(settings => settings.ClusterConfigurator = builder =>
            builder.Subscribe<CommandSucceededEvent>(e =>
            {
                if (e.CommandName == "killCursors")
                {
                    lock (killed)
                    {
                        killed.Add(e.Reply["cursorsKilled"].AsBsonArray.Count); // the raw reply is disposed after the event
                    }
                }
            }));
        var numbers = context.Collection("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i)));

        using (var cursor = await numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 3 }))
        {
            Assert.True(await cursor.MoveNextAsync());
        }

        Assert.Equal([1], killed);
    }

    [Fact]
    public async Task CountDocuments_WithFilterSkipAndLimit_CountsTheWindow()
    {
        await using var context = await SeededAsync();
        var items = context.Collection("items");

        var all = await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty);
        var fruit = await items.CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("tags", "fruit"));
        var window = await items.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, new CountOptions { Skip = 1, Limit = 2 });
        var none = await items.CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("n", 99));

        Assert.Equal((4, 2, 2, 0), (all, fruit, window, none));
    }

    [Fact]
    public async Task EstimatedDocumentCount_SeededCollection_ReturnsTotal()
    {
        await using var context = await SeededAsync();

        Assert.Equal(4, await context.Collection("items").EstimatedDocumentCountAsync());
    }

    [Fact]
    public async Task Distinct_ArrayField_ReturnsEachElementOnce()
    {
        await using var context = await SeededAsync();

        var tags = await context.Collection("items").Distinct<string>("tags", FilterDefinition<BsonDocument>.Empty).ToListAsync();

        Assert.Equal(["fruit", "orange", "red", "veg", "yellow"], tags);
    }

    private static async Task<MongoTestContext> SeededAsync()
    {
        var context = await MongoTestContext.StartAsync();
        await context.Collection("items").InsertManyAsync(_items.Select(d => d.DeepClone().AsBsonDocument));
        return context;
    }
}
