using System.Net;
using Conduit.Tests.Infrastructure;
using MongoDB.Bson;
using Xunit.Abstractions;

namespace Conduit.Tests.Mongo;

/// <summary>Every MongoDB operation over REST, with canonical Extended JSON in and out.</summary>
[Collection(MongoSiloFixture.Collection)]
public sealed class MongoRestTests
{
    private readonly MongoSiloFixture _fixture;

    public MongoRestTests(MongoSiloFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        output.WriteLine($"MongoDB: {fixture.Target.Description}");
    }

    private HttpClient Admin => _fixture.Silo.Admin;

    [Fact]
    public async Task InsertOne_ThenFind_ReturnsTheDocumentAsCanonicalExtendedJson()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        var inserted = await Admin.MongoAsync(p, db, "people", "insertOne", """{"document": {"name": "ada", "born": {"$date": "1815-12-10T00:00:00Z"}, "n": 1, "big": {"$numberLong": "9007199254740993"}}}""").OkAsync();
        var text = await Admin.MongoAsync(p, db, "people", "find", """{"filter": {"name": "ada"}}""").TextAsync();
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);

        Assert.IsType<BsonObjectId>(inserted["insertedId"]);
        Assert.Contains("\"_id\":{\"$oid\":", compact, StringComparison.Ordinal);
        Assert.Contains("\"n\":{\"$numberInt\":\"1\"}", compact, StringComparison.Ordinal);
        Assert.Contains("\"big\":{\"$numberLong\":\"9007199254740993\"}", compact, StringComparison.Ordinal);
        Assert.Contains("\"born\":{\"$date\":{\"$numberLong\":\"-4861728000000\"}}", compact, StringComparison.Ordinal);
        var document = BsonDocument.Parse(text)["documents"].AsBsonArray.Single().AsBsonDocument;
        Assert.Equal(inserted["insertedId"], document["_id"]);
        Assert.Equal(new BsonDateTime(new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc)), document["born"]);
        Assert.Equal(9007199254740993L, document["big"].AsInt64);
    }

    [Fact]
    public async Task InsertMany_ThenFindWithFilterSortProjectionSkipLimit_ReturnsThePage()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var documents = string.Join(",", Enumerable.Range(1, 10).Select(i => $$"""{"_id": {{i}}, "n": {{i}}, "tag": "{{(i % 2 == 0 ? "even" : "odd")}}"}"""));

        var inserted = await Admin.MongoAsync(p, db, "numbers", "insertMany", $$"""{"documents": [{{documents}}], "ordered": false}""").OkAsync();
        var page = await Admin.MongoAsync(p, db, "numbers", "find", """{"filter": {"tag": "even"}, "sort": {"n": -1}, "projection": {"_id": 0, "n": 1}, "skip": 1, "limit": 2}""").OkAsync();

        Assert.Equal(10L, inserted["insertedCount"].AsInt64);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (BsonValue)i), inserted["insertedIds"].AsBsonArray);
        Assert.Equal(new BsonArray { new BsonDocument("n", 8), new BsonDocument("n", 6) }, page["documents"].AsBsonArray);
    }

    [Fact]
    public async Task CountDocuments_WithFilterAndLimit_ReturnsTheCount()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "c", "insertMany", """{"documents": [{"k": 1}, {"k": 1}, {"k": 1}, {"k": 2}]}""").OkAsync();

        var all = await Admin.MongoAsync(p, db, "c", "countDocuments").OkAsync();
        var ones = await Admin.MongoAsync(p, db, "c", "countDocuments", """{"filter": {"k": 1}}""").OkAsync();
        var limited = await Admin.MongoAsync(p, db, "c", "countDocuments", """{"filter": {"k": 1}, "limit": 2}""").OkAsync();

        Assert.Equal(4L, all["count"].AsInt64);
        Assert.Equal(3L, ones["count"].AsInt64);
        Assert.Equal(2L, limited["count"].AsInt64);
    }

    [Fact]
    public async Task UpdateOneAndUpdateMany_OperatorsPipelineAndUpsert_ReturnTheFigures()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "u", "insertMany", """{"documents": [{"_id": 1, "n": 1, "g": "a"}, {"_id": 2, "n": 2, "g": "a"}, {"_id": 3, "n": 3, "g": "b"}]}""").OkAsync();

        var one = await Admin.MongoAsync(p, db, "u", "updateOne", """{"filter": {"_id": 1}, "update": {"$set": {"seen": true}}}""").OkAsync();
        var many = await Admin.MongoAsync(p, db, "u", "updateMany", """{"filter": {"g": "a"}, "update": {"$inc": {"n": 10}}}""").OkAsync();
        var pipeline = await Admin.MongoAsync(p, db, "u", "updateOne", """{"filter": {"_id": 3}, "update": [{"$set": {"double": {"$multiply": ["$n", 2]}}}]}""").OkAsync();
        var upsert = await Admin.MongoAsync(p, db, "u", "updateOne", """{"filter": {"_id": 99}, "update": {"$set": {"n": 0}}, "upsert": true}""").OkAsync();
        var found = await Admin.MongoAsync(p, db, "u", "find", """{"sort": {"_id": 1}}""").OkAsync();

        Assert.Equal(new BsonDocument { { "matchedCount", 1L }, { "modifiedCount", 1L }, { "upsertedId", BsonNull.Value } }, one);
        Assert.Equal(new BsonDocument { { "matchedCount", 2L }, { "modifiedCount", 2L }, { "upsertedId", BsonNull.Value } }, many);
        Assert.Equal(1L, pipeline["modifiedCount"].AsInt64);
        Assert.Equal(new BsonDocument { { "matchedCount", 0L }, { "modifiedCount", 0L }, { "upsertedId", 99 } }, upsert);
        var documents = found["documents"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
        Assert.Equal([11, 12, 3, 0], documents.Select(d => d["n"].ToInt32()));
        Assert.True(documents[0]["seen"].AsBoolean);
        Assert.Equal(6, documents[2]["double"].ToInt32());
    }

    [Fact]
    public async Task ReplaceOne_WholeDocument_ReplacesItKeepingTheId()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "r", "insertOne", """{"document": {"_id": "k", "a": 1, "b": 2}}""").OkAsync();

        var replaced = await Admin.MongoAsync(p, db, "r", "replaceOne", """{"filter": {"_id": "k"}, "replacement": {"c": 3}}""").OkAsync();
        var found = await Admin.MongoAsync(p, db, "r", "find").OkAsync();

        Assert.Equal(1L, replaced["matchedCount"].AsInt64);
        Assert.Equal(1L, replaced["modifiedCount"].AsInt64);
        Assert.Equal(new BsonDocument { { "_id", "k" }, { "c", 3 } }, found["documents"][0].AsBsonDocument);
    }

    [Fact]
    public async Task DeleteOneAndDeleteMany_ReturnTheDeletedCounts()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "d", "insertMany", """{"documents": [{"k": 1}, {"k": 1}, {"k": 1}, {"k": 2}]}""").OkAsync();

        var one = await Admin.MongoAsync(p, db, "d", "deleteOne", """{"filter": {"k": 1}}""").OkAsync();
        var many = await Admin.MongoAsync(p, db, "d", "deleteMany", """{"filter": {"k": 1}}""").OkAsync();
        var none = await Admin.MongoAsync(p, db, "d", "deleteMany", """{"filter": {"k": 3}}""").OkAsync();
        var left = await Admin.MongoAsync(p, db, "d", "countDocuments").OkAsync();

        Assert.Equal(1L, one["deletedCount"].AsInt64);
        Assert.Equal(2L, many["deletedCount"].AsInt64);
        Assert.Equal(0L, none["deletedCount"].AsInt64);
        Assert.Equal(1L, left["count"].AsInt64);
    }

    [Fact]
    public async Task FindOneAndUpdate_BeforeAfterAndNoMatch_ReturnsTheDocumentOrNull()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "counters", "insertMany", """{"documents": [{"_id": "a", "v": 1}, {"_id": "b", "v": 5}]}""").OkAsync();

        var before = await Admin.MongoAsync(p, db, "counters", "findOneAndUpdate", """{"filter": {}, "update": {"$inc": {"v": 1}}, "sort": {"v": -1}}""").OkAsync();
        var after = await Admin.MongoAsync(p, db, "counters", "findOneAndUpdate", """{"filter": {"_id": "a"}, "update": {"$inc": {"v": 1}}, "returnDocument": "after", "projection": {"v": 1, "_id": 0}}""").OkAsync();
        var none = await Admin.MongoAsync(p, db, "counters", "findOneAndUpdate", """{"filter": {"_id": "zz"}, "update": {"$inc": {"v": 1}}}""").OkAsync();

        Assert.Equal(new BsonDocument { { "_id", "b" }, { "v", 5 } }, before["document"].AsBsonDocument);
        Assert.Equal(new BsonDocument("v", 2), after["document"].AsBsonDocument);
        Assert.Equal(BsonNull.Value, none["document"]);
    }

    [Fact]
    public async Task Aggregate_MatchGroupSort_ReturnsTheGroups()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "orders", "insertMany", """{"documents": [{"c": "x", "t": 5, "ok": true}, {"c": "y", "t": 7, "ok": true}, {"c": "x", "t": 3, "ok": true}, {"c": "x", "t": 100, "ok": false}]}""").OkAsync();

        var result = await Admin.MongoAsync(p, db, "orders", "aggregate", """{"pipeline": [{"$match": {"ok": true}}, {"$group": {"_id": "$c", "total": {"$sum": "$t"}}}, {"$sort": {"total": -1}}]}""").OkAsync();

        Assert.Equal(new BsonArray { new BsonDocument { { "_id", "x" }, { "total", 8 } }, new BsonDocument { { "_id", "y" }, { "total", 7 } } }, result["documents"].AsBsonArray);
    }

    [Fact]
    public async Task BulkWrite_EveryKindOfWrite_ReturnsTheFigures()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "b", "insertMany", """{"documents": [{"_id": 1, "v": 1}, {"_id": 2, "v": 2}, {"_id": 3, "v": 3}]}""").OkAsync();

        var result = await Admin.MongoAsync(p, db, "b", "bulkWrite", """
            {"operations": [
              {"insertOne": {"document": {"_id": 4, "v": 4}}},
              {"updateOne": {"filter": {"_id": 1}, "update": {"$set": {"v": 10}}}},
              {"updateMany": {"filter": {"v": {"$gte": 3}}, "update": {"$inc": {"v": 100}}}},
              {"replaceOne": {"filter": {"_id": 2}, "replacement": {"v": 20}}},
              {"updateOne": {"filter": {"_id": 5}, "update": {"$set": {"v": 5}}, "upsert": true}},
              {"deleteOne": {"filter": {"_id": 3}}},
              {"deleteMany": {"filter": {"v": {"$gt": 1000}}}}
            ], "ordered": true}
            """).OkAsync();
        var ids = await Admin.MongoAsync(p, db, "b", "find", """{"sort": {"_id": 1}, "projection": {"v": 1}}""").OkAsync();

        Assert.Equal(1L, result["insertedCount"].AsInt64);
        Assert.Equal(5L, result["matchedCount"].AsInt64);
        Assert.Equal(5L, result["modifiedCount"].AsInt64);
        Assert.Equal(1L, result["deletedCount"].AsInt64);
        Assert.Equal(1L, result["upsertedCount"].AsInt64);
        Assert.Equal(new BsonDocument("4", 5), result["upsertedIds"].AsBsonDocument);
        Assert.Equal([110, 20, 104, 5], ids["documents"].AsBsonArray.Select(d => d["v"].ToInt32()));
    }

    [Fact]
    public async Task Indexes_CreateListDrop_RoundTrip()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        var created = await Admin.MongoAsync(p, db, "users", "createIndex", """{"keys": {"email": 1}, "unique": true, "name": "email_unique"}""").OkAsync();
        var listed = await Admin.MongoAsync(p, db, "users", "listIndexes").OkAsync();
        var dropped = await Admin.MongoAsync(p, db, "users", "dropIndex", """{"name": "email_unique"}""").OkAsync();
        var after = await Admin.MongoAsync(p, db, "users", "listIndexes").OkAsync();

        Assert.Equal("email_unique", created["name"].AsString);
        var indexes = listed["documents"].AsBsonArray.Select(i => i.AsBsonDocument).ToList();
        Assert.Equal(["_id_", "email_unique"], indexes.Select(i => i["name"].AsString));
        Assert.True(indexes[1]["unique"].ToBoolean());
        Assert.Equal(new BsonDocument("email", 1), indexes[1]["key"].AsBsonDocument);
        Assert.Equal("email_unique", dropped["dropped"].AsString);
        Assert.Equal(["_id_"], after["documents"].AsBsonArray.Select(i => i["name"].AsString));
    }

    [Fact]
    public async Task Collections_CreateListDrop_RoundTrip()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        var created = await Admin.MongoAsync(p, db, "events", "createCollection", """{"validator": {"kind": {"$type": "string"}}, "validationAction": "error"}""").OkAsync();
        await Admin.MongoAsync(p, db, "other", "createCollection").OkAsync();
        var listed = await Admin.MongoAsync(p, db, null, "listCollections").OkAsync();
        var filtered = await Admin.MongoAsync(p, db, null, "listCollections", """{"filter": {"name": "events"}}""").OkAsync();
        var dropped = await Admin.MongoAsync(p, db, "events", "dropCollection").OkAsync();
        var after = await Admin.MongoAsync(p, db, null, "listCollections").OkAsync();

        Assert.Equal("events", created["created"].AsString);
        Assert.Equal(["events", "other"], listed["documents"].AsBsonArray.Select(c => c["name"].AsString).Order());
        var events = filtered["documents"].AsBsonArray.Single().AsBsonDocument;
        Assert.Equal(new BsonDocument("kind", new BsonDocument("$type", "string")), events["options"]["validator"].AsBsonDocument);
        Assert.Equal("events", dropped["dropped"].AsString);
        Assert.Equal(["other"], after["documents"].AsBsonArray.Select(c => c["name"].AsString));
    }

    [Fact]
    public async Task Find_ProjectKey_ReachesItsOwnProjectOnly()
    {
        var (p, key, db) = await _fixture.CreateProjectAsync();
        var (other, _, otherDb) = await _fixture.CreateProjectAsync();
        using var client = _fixture.Silo.WithKey(key);

        var own = await client.MongoAsync(p, db, "k", "insertOne", """{"document": {"a": 1}}""").OkAsync();
        using var foreign = await client.MongoAsync(other, otherDb, "k", "find");

        Assert.IsType<BsonObjectId>(own["insertedId"]);
        await foreign.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
