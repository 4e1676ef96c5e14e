using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class BulkWriteTests
{
    [Fact]
    public async Task BulkWrite_OrderedWithDuplicateInMiddle_StopsAtDuplicate()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");

        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => docs.BulkWriteAsync(
            [Insert(1), Insert(2), Insert(1), Insert(3)],
            new BulkWriteOptions { IsOrdered = true }));

        var error = Assert.Single(ex.WriteErrors);
        Assert.Equal((2, 11000, ServerErrorCategory.DuplicateKey), (error.Index, error.Code, error.Category));
        Assert.Equal(2, ex.Result.InsertedCount);
        Assert.Single(ex.UnprocessedRequests);
        Assert.Equal([1, 2], await IdsAsync(docs));
    }

    [Fact]
    public async Task BulkWrite_UnorderedWithDuplicateInMiddle_WritesEverythingElse()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");

        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => docs.BulkWriteAsync(
            [Insert(1), Insert(2), Insert(1), Insert(3)],
            new BulkWriteOptions { IsOrdered = false }));

        var error = Assert.Single(ex.WriteErrors);
        Assert.Equal((2, 11000), (error.Index, error.Code));
        Assert.Equal(3, ex.Result.InsertedCount);
        Assert.Equal([1, 2, 3], await IdsAsync(docs));
    }

    [Fact]
    public async Task BulkWrite_OrderedMixedOperationsWithLateDuplicate_ReportsGlobalIndex()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");

        // The driver splits this into insert / update / insert batches; the error index must map back to 3.
        var ex = await Assert.ThrowsAsync<MongoBulkWriteException<BsonDocument>>(() => docs.BulkWriteAsync(
        [
            Insert(1),
            Insert(2),
            new UpdateOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", 1), Builders<BsonDocument>.Update.Set("touched", true)),
            Insert(2),
            Insert(4),
        ]));

        Assert.Equal(3, Assert.Single(ex.WriteErrors).Index);
        Assert.Equal((2, 1L), (ex.Result.InsertedCount, ex.Result.ModifiedCount));
        Assert.Equal([1, 2], await IdsAsync(docs));
    }

    [Fact]
    public async Task BulkWrite_MixedOperations_ReportsEveryCount()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertManyAsync([Doc(1, "a"), Doc(2, "a"), Doc(3, "b")]);

        var result = await docs.BulkWriteAsync(
        [
            Insert(4),
            new UpdateManyModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("group", "a"), Builders<BsonDocument>.Update.Set("seen", true)),
            new ReplaceOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", 3), Doc(3, "c")),
            new DeleteOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", 4)),
            new UpdateOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", 9), Builders<BsonDocument>.Update.Set("group", "z")) { IsUpsert = true },
            new DeleteManyModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("group", "nobody")),
        ],
        new BulkWriteOptions { IsOrdered = false });

        Assert.Equal(1, result.InsertedCount);
        Assert.Equal(3, result.MatchedCount);
        Assert.Equal(3, result.ModifiedCount);
        Assert.Equal(1, result.DeletedCount);
        var upsert = Assert.Single(result.Upserts);
        Assert.Equal((4, 9), (upsert.Index, upsert.Id.AsInt32));
        Assert.Equal([1, 2, 3, 9], await IdsAsync(docs));
    }

    private static InsertOneModel<BsonDocument> Insert(int id) => new(new BsonDocument("_id", id));

    private static BsonDocument Doc(int id, string group) => new() { { "_id", id }, { "group", group } };

    private static async Task<List<int>> IdsAsync(IMongoCollection<BsonDocument> collection) =>
        (await collection.Find(FilterDefinition<BsonDocument>.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync())
            .Select(d => d["_id"].AsInt32).ToList();
}
