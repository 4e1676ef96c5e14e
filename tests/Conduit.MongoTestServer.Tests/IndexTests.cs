using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class IndexTests
{
    [Fact]
    public async Task CreateIndexUnique_ThenDuplicateInsert_ThrowsWriteException11000()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        var name = await users.Indexes.CreateOneAsync(UniqueOn("email"));
        await users.InsertOneAsync(BsonDocument.Parse("{ _id: 1, email: 'a@x' }"));

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => users.InsertOneAsync(BsonDocument.Parse("{ _id: 2, email: 'a@x' }")));

        Assert.Equal("email_1", name);
        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Equal("E11000 duplicate key error collection: conduit_test.users index: email_1 dup key: { email: \"a@x\" }", ex.WriteError.Message);
    }

    [Fact]
    public async Task CreateIndexUnique_OverExistingDuplicates_ThrowsCommandException11000()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.InsertManyAsync([BsonDocument.Parse("{ _id: 1, email: 'a@x' }"), BsonDocument.Parse("{ _id: 2, email: 'a@x' }")]);

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => users.Indexes.CreateOneAsync(UniqueOn("email")));

        Assert.Equal(11000, ex.Code);
        Assert.Single(await (await users.Indexes.ListAsync()).ToListAsync());
    }

    [Fact]
    public async Task CreateIndexUniqueCompound_SameCombination_Rejected()
    {
        await using var context = await MongoTestContext.StartAsync();
        var members = context.Collection("members");
        await members.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("tenant").Ascending("user"), new CreateIndexOptions { Unique = true }));
        await members.InsertManyAsync([BsonDocument.Parse("{ tenant: 't1', user: 'u1' }"), BsonDocument.Parse("{ tenant: 't2', user: 'u1' }")]);

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() => members.InsertOneAsync(BsonDocument.Parse("{ tenant: 't1', user: 'u1' }")));

        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Contains("index: tenant_1_user_1 dup key: { tenant: \"t1\", user: \"u1\" }", ex.WriteError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateIndexUniqueSparse_DocumentsWithoutField_AreAllAccepted()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("email"), new CreateIndexOptions { Unique = true, Sparse = true }));

        await users.InsertManyAsync([new BsonDocument("_id", 1), new BsonDocument("_id", 2)]);

        Assert.Equal(2, await users.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task UpdateOne_ViolatingUniqueIndex_ThrowsAndKeepsOriginal()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateOneAsync(UniqueOn("email"));
        await users.InsertManyAsync([BsonDocument.Parse("{ _id: 1, email: 'a@x' }"), BsonDocument.Parse("{ _id: 2, email: 'b@x' }")]);

        var ex = await Assert.ThrowsAsync<MongoWriteException>(() =>
            users.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", 2), Builders<BsonDocument>.Update.Set("email", "a@x")));

        Assert.Equal(11000, ex.WriteError.Code);
        Assert.Equal("b@x", (await users.Find(Builders<BsonDocument>.Filter.Eq("_id", 2)).SingleAsync())["email"].AsString);
        await users.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", 2), Builders<BsonDocument>.Update.Set("email", "c@x"));
        await users.InsertOneAsync(BsonDocument.Parse("{ _id: 3, email: 'b@x' }"));
    }

    [Fact]
    public async Task ListIndexes_AfterCreate_ListsIdIndexFirstThenNewIndex()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateOneAsync(UniqueOn("email"));
        await users.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Descending("createdAt")));

        var indexes = await (await users.Indexes.ListAsync()).ToListAsync();

        Assert.Equal(["_id_", "email_1", "createdAt_-1"], indexes.Select(i => i["name"].AsString));
        Assert.Equal(BsonDocument.Parse("{ _id: 1 }"), indexes[0]["key"].AsBsonDocument);
        Assert.True(indexes[1]["unique"].ToBoolean());
        Assert.Equal(BsonDocument.Parse("{ createdAt: -1 }"), indexes[2]["key"].AsBsonDocument);
    }

    [Fact]
    public async Task CreateIndex_SameIndexTwice_IsIdempotent()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");

        await users.Indexes.CreateOneAsync(UniqueOn("email"));
        await users.Indexes.CreateOneAsync(UniqueOn("email"));

        Assert.Equal(2, (await (await users.Indexes.ListAsync()).ToListAsync()).Count);
    }

    [Fact]
    public async Task DropOne_ByName_RemovesIndexAndItsConstraint()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateOneAsync(UniqueOn("email"));

        await users.Indexes.DropOneAsync("email_1");
        await users.InsertManyAsync([BsonDocument.Parse("{ email: 'a@x' }"), BsonDocument.Parse("{ email: 'a@x' }")]);

        Assert.Equal(["_id_"], (await (await users.Indexes.ListAsync()).ToListAsync()).Select(i => i["name"].AsString));
    }

    [Fact]
    public async Task DropAll_WithSeveralIndexes_KeepsOnlyIdIndex()
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.Indexes.CreateManyAsync([UniqueOn("email"), UniqueOn("login")]);

        await users.Indexes.DropAllAsync();

        Assert.Equal(["_id_"], (await (await users.Indexes.ListAsync()).ToListAsync()).Select(i => i["name"].AsString));
    }

    [Theory]
    [InlineData("_id_", 72)]
    [InlineData("missing_1", 27)]
    public async Task DropOne_IdIndexOrUnknownName_ThrowsCommandException(string indexName, int expectedCode)
    {
        await using var context = await MongoTestContext.StartAsync();
        var users = context.Collection("users");
        await users.InsertOneAsync(new BsonDocument("_id", 1));

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => users.Indexes.DropOneAsync(indexName));

        Assert.Equal(expectedCode, ex.Code);
    }

    private static CreateIndexModel<BsonDocument> UniqueOn(string field) =>
        new(Builders<BsonDocument>.IndexKeys.Ascending(field), new CreateIndexOptions { Unique = true });
}
