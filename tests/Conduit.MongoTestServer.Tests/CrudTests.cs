using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class CrudTests
{
    [Fact]
    public async Task Insert_DocumentWithoutId_ServerAddsObjectIdAsFirstField()
    {
        await using var context = await MongoTestContext.StartAsync();

        // The driver generates _id client-side, so send the raw command to exercise the server's own default.
        await context.Database.RunCommandAsync<BsonDocument>(BsonDocument.Parse("{ insert: 'people', documents: [ { name: 'Ada' } ] }"));

        var stored = await context.Collection("people").Find(FilterDefinition<BsonDocument>.Empty).SingleAsync();
        Assert.Equal("_id", stored.GetElement(0).Name);
        Assert.Equal(BsonType.ObjectId, stored["_id"].BsonType);
        Assert.Equal("Ada", stored["name"].AsString);
    }

    [Fact]
    public async Task InsertMany_ThenFind_ReturnsDocumentsInInsertionOrder()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");

        await people.InsertManyAsync([Person(3, "c"), Person(1, "a"), Person(2, "b")]);

        var names = (await people.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync()).Select(d => d["name"].AsString);
        Assert.Equal(["c", "a", "b"], names);
    }

    [Fact]
    public async Task InsertOne_DuplicateId_ThrowsWriteExceptionWithCode11000()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(Person(1, "a"));

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => people.InsertOneAsync(Person(1, "again")));

        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Equal(ServerErrorCategory.DuplicateKey, ex.WriteError.Category);
        Assert.Equal("E11000 duplicate key error collection: conduit_test.people index: _id_ dup key: { _id: 1 }", ex.WriteError.Message);
        Assert.Equal(1, await people.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task UpdateOne_SetIncUnsetPush_AppliesEveryOperator()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(BsonDocument.Parse("{ _id: 1, name: 'a', visits: 1, temp: true, tags: ['x'] }"));

        var update = Builders<BsonDocument>.Update
            .Set("address.city", "Oslo")
            .Inc("visits", 2)
            .Unset("temp")
            .Push("tags", "y");
        var result = await people.UpdateOneAsync(Id(1), update);

        Assert.Equal(1, result.MatchedCount);
        Assert.Equal(1, result.ModifiedCount);
        var stored = await people.Find(Id(1)).SingleAsync();
        Assert.Equal(BsonDocument.Parse("{ _id: 1, name: 'a', visits: 3, tags: ['x', 'y'], address: { city: 'Oslo' } }"), stored);
    }

    [Fact]
    public async Task UpdateMany_MatchingFilter_ModifiesEveryMatch()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertManyAsync([Person(1, "a", age: 30), Person(2, "b", age: 40), Person(3, "c", age: 50)]);

        var result = await people.UpdateManyAsync(
            Builders<BsonDocument>.Filter.Gte("age", 40),
            Builders<BsonDocument>.Update.Set("senior", true));

        Assert.Equal(2, result.MatchedCount);
        Assert.Equal(2, result.ModifiedCount);
        Assert.Equal(2, await people.CountDocumentsAsync(Builders<BsonDocument>.Filter.Eq("senior", true)));
    }

    [Fact]
    public async Task UpdateOne_SameValue_ReportsMatchedButNotModified()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(Person(1, "a"));

        var result = await people.UpdateOneAsync(Id(1), Builders<BsonDocument>.Update.Set("name", "a"));

        Assert.Equal(1, result.MatchedCount);
        Assert.Equal(0, result.ModifiedCount);
    }

    [Fact]
    public async Task UpdateOne_UpsertWithoutMatch_InsertsSeedFromFilterWithSetOnInsert()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");

        var result = await people.UpdateOneAsync(
            Builders<BsonDocument>.Filter.Eq("email", "ada@example.com"),
            Builders<BsonDocument>.Update.Set("name", "Ada").SetOnInsert("createdBy", "upsert"),
            new UpdateOptions { IsUpsert = true });

        Assert.Equal(0, result.MatchedCount);
        Assert.Equal(BsonType.ObjectId, result.UpsertedId.BsonType);
        var stored = await people.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync();
        Assert.Equal("ada@example.com", stored["email"].AsString);
        Assert.Equal("Ada", stored["name"].AsString);
        Assert.Equal("upsert", stored["createdBy"].AsString);
    }

    [Fact]
    public async Task UpdateOne_UpsertWithMatch_IgnoresSetOnInsert()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(Person(1, "a"));

        await people.UpdateOneAsync(
            Id(1),
            Builders<BsonDocument>.Update.Set("name", "b").SetOnInsert("createdBy", "upsert"),
            new UpdateOptions { IsUpsert = true });

        Assert.Equal(BsonDocument.Parse("{ _id: 1, name: 'b' }"), await people.Find(Id(1)).SingleAsync());
    }

    [Fact]
    public async Task ReplaceOne_FullDocument_ReplacesFieldsAndKeepsId()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(BsonDocument.Parse("{ _id: 1, name: 'a', old: true }"));

        var result = await people.ReplaceOneAsync(Id(1), BsonDocument.Parse("{ name: 'z', fresh: 1 }"));

        Assert.Equal(1, result.ModifiedCount);
        Assert.Equal(BsonDocument.Parse("{ _id: 1, name: 'z', fresh: 1 }"), await people.Find(Id(1)).SingleAsync());
    }

    [Fact]
    public async Task UpdateOne_ChangingId_ThrowsWriteExceptionImmutableField()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(Person(1, "a"));

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => people.UpdateOneAsync(Id(1), Builders<BsonDocument>.Update.Set("_id", 2)));

        Assert.Equal(66, ex.WriteError.Code);
    }

    [Fact]
    public async Task UpdateOne_IncOnString_ThrowsWriteExceptionTypeMismatch()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertOneAsync(Person(1, "a"));

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => people.UpdateOneAsync(Id(1), Builders<BsonDocument>.Update.Inc("name", 1)));

        Assert.Equal(14, ex.WriteError.Code);
    }

    [Fact]
    public async Task DeleteOneAndDeleteMany_MatchingFilter_RemoveOneThenAll()
    {
        await using var context = await MongoTestContext.StartAsync();
        var people = context.Collection("people");
        await people.InsertManyAsync([Person(1, "a", age: 1), Person(2, "b", age: 1), Person(3, "c", age: 1), Person(4, "d", age: 2)]);
        var filter = Builders<BsonDocument>.Filter.Eq("age", 1);

        var one = await people.DeleteOneAsync(filter);
        var many = await people.DeleteManyAsync(filter);

        Assert.Equal(1, one.DeletedCount);
        Assert.Equal(2, many.DeletedCount);
        Assert.Equal(4, (await people.Find(FilterDefinition<BsonDocument>.Empty).SingleAsync())["_id"].AsInt32);
    }

    private static BsonDocument Person(int id, string name, int? age = null)
    {
        var person = new BsonDocument { { "_id", id }, { "name", name } };
        if (age is not null)
        {
            person.Add("age", age.Value);
        }

        return person;
    }

    private static FilterDefinition<BsonDocument> Id(int id) => Builders<BsonDocument>.Filter.Eq("_id", id);
}
