using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class UpdateOperatorTests
{
    [Theory]
    [InlineData("{ $set: { 'a.b.c': 1 } }", "{ _id: 1, n: 5, tags: ['x', 'y'], sub: { k: 1 }, a: { b: { c: 1 } } }")]
    [InlineData("{ $set: { 'tags.1': 'z' } }", "{ _id: 1, n: 5, tags: ['x', 'z'], sub: { k: 1 } }")]
    [InlineData("{ $unset: { 'sub.k': '' } }", "{ _id: 1, n: 5, tags: ['x', 'y'], sub: { } }")]
    [InlineData("{ $inc: { n: 1.5, fresh: 2 } }", "{ _id: 1, n: 6.5, tags: ['x', 'y'], sub: { k: 1 }, fresh: 2 }")]
    [InlineData("{ $mul: { n: 3 } }", "{ _id: 1, n: 15, tags: ['x', 'y'], sub: { k: 1 } }")]
    [InlineData("{ $min: { n: 2 }, $max: { 'sub.k': 0 } }", "{ _id: 1, n: 2, tags: ['x', 'y'], sub: { k: 1 } }")]
    [InlineData("{ $push: { tags: { $each: ['a', 'b', 'c'], $slice: -3 } } }", "{ _id: 1, n: 5, tags: ['a', 'b', 'c'], sub: { k: 1 } }")]
    [InlineData("{ $push: { tags: { $each: ['w'], $position: 0 } } }", "{ _id: 1, n: 5, tags: ['w', 'x', 'y'], sub: { k: 1 } }")]
    [InlineData("{ $push: { list: 1 } }", "{ _id: 1, n: 5, tags: ['x', 'y'], sub: { k: 1 }, list: [1] }")]
    [InlineData("{ $addToSet: { tags: { $each: ['y', 'q'] } } }", "{ _id: 1, n: 5, tags: ['x', 'y', 'q'], sub: { k: 1 } }")]
    [InlineData("{ $pull: { tags: 'x' } }", "{ _id: 1, n: 5, tags: ['y'], sub: { k: 1 } }")]
    [InlineData("{ $pull: { tags: { $in: ['x', 'y'] } } }", "{ _id: 1, n: 5, tags: [], sub: { k: 1 } }")]
    [InlineData("{ $pop: { tags: -1 } }", "{ _id: 1, n: 5, tags: ['y'], sub: { k: 1 } }")]
    [InlineData("{ $rename: { n: 'count' } }", "{ _id: 1, tags: ['x', 'y'], sub: { k: 1 }, count: 5 }")]
    public async Task UpdateOne_Operator_ProducesExpectedDocument(string update, string expected)
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(BsonDocument.Parse("{ _id: 1, n: 5, tags: ['x', 'y'], sub: { k: 1 } }"));

        await docs.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", 1), BsonDocument.Parse(update));

        Assert.Equal(BsonDocument.Parse(expected), await docs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync());
    }

    [Fact]
    public async Task UpdateOne_PipelineUpdate_ComputesFromExistingFields()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(BsonDocument.Parse("{ _id: 1, price: 4, qty: 3 }"));

        var pipeline = PipelineDefinition<BsonDocument, BsonDocument>.Create(BsonDocument.Parse("{ $set: { total: { $multiply: ['$price', '$qty'] } } }"));
        await docs.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", 1), Builders<BsonDocument>.Update.Pipeline(pipeline));

        Assert.Equal(12, (await docs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync())["total"].AsInt32);
    }

    [Fact]
    public async Task ReplaceOne_UpsertWithIdInFilter_InsertsReplacementWithThatId()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");

        var result = await docs.ReplaceOneAsync(
            Builders<BsonDocument>.Filter.Eq("_id", "cfg"),
            BsonDocument.Parse("{ value: 42 }"),
            new ReplaceOptions { IsUpsert = true });

        Assert.Equal("cfg", result.UpsertedId.AsString);
        Assert.Equal(BsonDocument.Parse("{ _id: 'cfg', value: 42 }"), await docs.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync());
    }

    [Fact]
    public async Task Update_UnknownOperator_ThrowsWriteExceptionFailedToParse()
    {
        await using var context = await MongoTestContext.StartAsync();
        var docs = context.Collection("docs");
        await docs.InsertOneAsync(new BsonDocument("_id", 1));

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() =>
            docs.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", 1), BsonDocument.Parse("{ $frob: { a: 1 } }")));

        Assert.Equal(9, ex.WriteError.Code);
        Assert.StartsWith("Unknown modifier: $frob", ex.WriteError.Message, StringComparison.Ordinal);
    }
}
