using Conduit.Errors;
using Conduit.Mongo;
using MongoDB.Bson;
using Xunit.Abstractions;

namespace Conduit.Tests.Mongo;

/// <summary>The client library's <c>project.Mongo</c> over the Orleans gateway: BsonDocument in, BsonDocument out.</summary>
[Collection(MongoSiloFixture.Collection)]
public sealed class MongoClientTests
{
    private readonly MongoSiloFixture _fixture;

    public MongoClientTests(MongoSiloFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        output.WriteLine($"MongoDB: {fixture.Target.Description}");
    }

    [Fact]
    public async Task Client_EveryOperation_TakesAndReturnsBsonDocuments()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var mongo = (await _fixture.ClientAsync()).Project(p).Mongo;
        var users = mongo.Collection(db, "users");

        await users.CreateAsync(new BsonDocument("validator", new BsonDocument("name", new BsonDocument("$type", "string"))));
        var index = await users.CreateIndexAsync(new BsonDocument("email", 1), new BsonDocument { { "unique", true }, { "name", "by_email" } });
        var adaId = await users.InsertOneAsync(new BsonDocument { { "name", "ada" }, { "email", "ada@example.com" }, { "age", 36 } });
        var ids = await users.InsertManyAsync(
        [
            new BsonDocument { { "_id", "grace" }, { "name", "grace" }, { "email", "grace@example.com" }, { "age", 45 } },
            new BsonDocument { { "_id", "linus" }, { "name", "linus" }, { "email", "linus@example.com" }, { "age", 28 } },
        ]);
        var over30 = await users.FindAsync(new BsonDocument("age", new BsonDocument("$gt", 30)), sort: new BsonDocument("age", -1), projection: new BsonDocument { { "_id", 0 }, { "name", 1 } });
        var second = await users.FindAsync(sort: new BsonDocument("age", 1), skip: 1, limit: 1);
        var count = await users.CountDocumentsAsync(new BsonDocument("age", new BsonDocument("$lt", 40)));
        var updated = await users.UpdateOneAsync(new BsonDocument("name", "ada"), new BsonDocument("$inc", new BsonDocument("age", 1)));
        var updatedMany = await users.UpdateManyAsync(new BsonDocument(), new BsonDocument("$set", new BsonDocument("active", true)));
        var replaced = await users.ReplaceOneAsync(new BsonDocument("_id", "linus"), new BsonDocument { { "name", "linus" }, { "email", "linus@example.com" }, { "age", 29 } });
        var before = await users.FindOneAndUpdateAsync(new BsonDocument("_id", "grace"), new BsonDocument("$set", new BsonDocument("age", 46)));
        var after = await users.FindOneAndUpdateAsync(new BsonDocument("_id", "grace"), new BsonDocument("$inc", new BsonDocument("age", 1)), returnAfter: true);
        var missing = await users.FindOneAndUpdateAsync(new BsonDocument("_id", "nobody"), new BsonDocument("$inc", new BsonDocument("age", 1)));
        var total = await users.AggregateAsync([new BsonDocument("$group", new BsonDocument { { "_id", BsonNull.Value }, { "total", new BsonDocument("$sum", "$age") } })]);
        var bulk = await users.BulkWriteAsync(
        [
            new BsonDocument("insertOne", new BsonDocument("document", new BsonDocument { { "name", "tmp" }, { "email", "tmp@example.com" } })),
            new BsonDocument("deleteOne", new BsonDocument("filter", new BsonDocument("name", "tmp"))),
        ]);
        var indexes = await users.ListIndexesAsync();
        await users.DropIndexAsync(index);
        var indexesAfter = await users.ListIndexesAsync();
        var collections = await mongo.ListCollectionsAsync(db);
        var deleted = await users.DeleteOneAsync(new BsonDocument("name", "ada"));
        var deletedMany = await users.DeleteManyAsync(new BsonDocument());
        await users.DropAsync();
        var collectionsAfter = await mongo.ListCollectionsAsync(db);

        Assert.Equal("by_email", index);
        Assert.IsType<BsonObjectId>(adaId);
        Assert.Equal(["grace", "linus"], ids.Select(i => i.AsString));
        Assert.Equal([new BsonDocument("name", "grace"), new BsonDocument("name", "ada")], over30);
        Assert.Equal("ada", second.Single()["name"].AsString);
        Assert.Equal(2, count);
        Assert.Equal(new BsonDocument { { "matchedCount", 1L }, { "modifiedCount", 1L }, { "upsertedId", BsonNull.Value } }, updated);
        Assert.Equal(3L, updatedMany["modifiedCount"].AsInt64);
        Assert.Equal(1L, replaced["matchedCount"].AsInt64);
        Assert.Equal(45, before!["age"].AsInt32);
        Assert.Equal(47, after!["age"].AsInt32);
        Assert.Null(missing);
        Assert.Equal(37 + 47 + 29, total.Single()["total"].AsInt32);
        Assert.Equal(1L, bulk["insertedCount"].AsInt64);
        Assert.Equal(1L, bulk["deletedCount"].AsInt64);
        Assert.Equal(["_id_", "by_email"], indexes.Select(i => i["name"].AsString));
        Assert.Equal(["_id_"], indexesAfter.Select(i => i["name"].AsString));
        Assert.Equal("users", collections.Single()["name"].AsString);
        Assert.Equal(1, deleted);
        Assert.Equal(2, deletedMany);
        Assert.Empty(collectionsAfter);
    }

    [Fact]
    public async Task Client_DuplicateKey_ThrowsBackendError11000()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var items = (await _fixture.ClientAsync()).Project(p).Mongo.Collection(db, "items");
        await items.InsertOneAsync(new BsonDocument("_id", 7));

        var error = await Assert.ThrowsAsync<ConduitException>(() => items.InsertOneAsync(new BsonDocument("_id", 7)));

        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.Equal("11000", error.BackendCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Client_ExecuteAsync_AnswersInTheRestApisShape()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var mongo = (await _fixture.ClientAsync()).Project(p).Mongo;
        await mongo.Collection(db, "c").InsertManyAsync([new BsonDocument("_id", 1), new BsonDocument("_id", 2)]);

        var found = await mongo.ExecuteAsync(db, "c", MongoOperation.Find, new BsonDocument("filter", new BsonDocument("_id", 2)));
        var updated = await mongo.Collection(db, "c").ExecuteAsync(MongoOperation.FindOneAndUpdate, new BsonDocument { { "filter", new BsonDocument("_id", 1) }, { "update", new BsonDocument("$set", new BsonDocument("x", 1)) }, { "returnDocument", "after" } });
        var listed = await mongo.ExecuteAsync(db, null, MongoOperation.ListCollections);

        Assert.Equal(new BsonDocument("documents", new BsonArray { new BsonDocument("_id", 2) }), found);
        Assert.Equal(new BsonDocument("document", new BsonDocument { { "_id", 1 }, { "x", 1 } }), updated);
        Assert.Equal("c", listed["documents"].AsBsonArray.Single()["name"].AsString);
    }

    [Fact]
    public async Task Client_BadCommand_ThrowsInvalidRequestNamingTheField()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var mongo = (await _fixture.ClientAsync()).Project(p).Mongo;

        var nullChar = await Assert.ThrowsAsync<ConduitException>(() => mongo.Collection(db, "a\0b").FindAsync());
        var operation = await Assert.ThrowsAsync<ConduitException>(() => mongo.ExecuteAsync(db, "c", (MongoOperation)99));
        var collection = await Assert.ThrowsAsync<ConduitException>(() => mongo.ExecuteAsync(db, "c", MongoOperation.ListCollections));
        var missing = await Assert.ThrowsAsync<ConduitException>(() => mongo.ExecuteAsync(db, null, MongoOperation.Find));

        Assert.Equal((ErrorCodes.InvalidRequest, @"collection: 'a\0b' contains '$' or a null character, which collection names may not."), (nullChar.Code, nullChar.Message));
        Assert.StartsWith("operation: 99 is not a MongoDB operation Conduit serves", operation.Message, StringComparison.Ordinal);
        Assert.Equal("collection: listCollections is a database-level operation and takes no collection.", collection.Message);
        Assert.Equal("collection: a collection name is required.", missing.Message);
    }
}
