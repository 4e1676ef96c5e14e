using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class FindAndModifyTests
{
    [Theory]
    [InlineData(ReturnDocument.Before, 1)]
    [InlineData(ReturnDocument.After, 2)]
    public async Task FindOneAndUpdate_ReturnDocumentOption_ReturnsThatVersion(ReturnDocument returnDocument, int expectedVersion)
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(BsonDocument.Parse("{ _id: 'a', version: 1 }"));

        var returned = await docs.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", "a"),
            Builders<BsonDocument>.Update.Inc("version", 1),
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = returnDocument });

        Assert.Equal(expectedVersion, returned["version"].AsInt32);
        Assert.Equal(2, (await docs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync())["version"].AsInt32);
    }

    [Fact]
    public async Task FindOneAndUpdate_UpsertWithoutMatch_InsertsAndReturnsNewDocument()
    {
        await using var context = await MongoTestContext.StartAsync();
        var counters = context.Collection("counters");

        var returned = await counters.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", "orders"),
            Builders<BsonDocument>.Update.Inc("seq", 1),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After });

        Assert.Equal(BsonDocument.Parse("{ _id: 'orders', seq: 1 }"), returned);
    }

    [Fact]
    public async Task FindOneAndUpdate_UpsertReturningBefore_ReturnsNullAndInserts()
    {
        await using var context = await MongoTestContext.StartAsync();
        var counters = context.Collection("counters");

        var returned = await counters.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", "orders"),
            Builders<BsonDocument>.Update.Inc("seq", 1),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.Before });

        Assert.Null(returned);
        Assert.Equal(1, await counters.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task FindOneAndUpdate_NoMatchWithoutUpsert_ReturnsNullAndChangesNothing()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(BsonDocument.Parse("{ _id: 1 }"));

        var returned = await docs.FindOneAndUpdateAsync(Builders<BsonDocument>.Filter.Eq("_id", 2), Builders<BsonDocument>.Update.Set("x", 1));

        Assert.Null(returned);
        Assert.Equal(1, await docs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task FindOneAndUpdate_WithSortAndProjection_UpdatesFirstInSortOrder()
    {
        await using var context = await MongoTestContext.StartAsync();
        var jobs = context.Collection("jobs");
        await jobs.InsertManyAsync([BsonDocument.Parse("{ _id: 1, priority: 1, state: 'queued' }"), BsonDocument.Parse("{ _id: 2, priority: 5, state: 'queued' }")]);

        var claimed = await jobs.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("state", "queued"),
            Builders<BsonDocument>.Update.Set("state", "running"),
            new FindOneAndUpdateOptions<BsonDocument>
            {
                Sort = Builders<BsonDocument>.Sort.Descending("priority"),
                Projection = Builders<BsonDocument>.Projection.Include("state"),
                ReturnDocument = ReturnDocument.After,
            });

        Assert.Equal(BsonDocument.Parse("{ _id: 2, state: 'running' }"), claimed);
    }

    [Fact]
    public async Task FindOneAndDelete_Match_RemovesAndReturnsDocument()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertManyAsync([BsonDocument.Parse("{ _id: 1, k: 'x' }"), BsonDocument.Parse("{ _id: 2, k: 'y' }")]);

        var removed = await docs.FindOneAndDeleteAsync(Builders<BsonDocument>.Filter.Eq("k", "y"));

        Assert.Equal(BsonDocument.Parse("{ _id: 2, k: 'y' }"), removed);
        Assert.Equal(1, await docs.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task FindOneAndReplace_ReturnAfter_ReturnsReplacementWithOriginalId()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(BsonDocument.Parse("{ _id: 1, old: true }"));

        var replaced = await docs.FindOneAndReplaceAsync(
            Builders<BsonDocument>.Filter.Eq("_id", 1),
            BsonDocument.Parse("{ fresh: true }"),
            new FindOneAndReplaceOptions<BsonDocument> { ReturnDocument = ReturnDocument.After });

        Assert.Equal(BsonDocument.Parse("{ _id: 1, fresh: true }"), replaced);
    }

    [Fact]
    public async Task FindOneAndUpdate_ViolatingUniqueIndex_ThrowsCommandException11000()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("email"), new CreateIndexOptions { Unique = true }));
        await users.InsertManyAsync([BsonDocument.Parse("{ _id: 1, email: 'a@x' }"), BsonDocument.Parse("{ _id: 2, email: 'b@x' }")]);

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => users.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", 2), Builders<BsonDocument>.Update.Set("email", "a@x")));

        Assert.Equal(11000, ex.Code);
        Assert.Equal("b@x", (await users.Find(Builders<BsonDocument>.Filter.Eq("_id", 2)).SingleAsync())["email"].AsString);
    }
}
