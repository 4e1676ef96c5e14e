using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.MongoTestServer.Tests;

public sealed class CollectionTests
{
    [Fact]
    public async Task CreateCollection_ThenListCollectionNames_ContainsIt()
    {
        await using var context = await MongoTestContext.StartAsync();

        await context.Database.CreateCollectionAsync("orders");
        await context.Database.CreateCollectionAsync("customers");

        var names = await (await context.Database.ListCollectionNamesAsync()).ToListAsync();
        Assert.Equal(["customers", "orders"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateCollection_AlreadyExists_ThrowsCommandException48()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Database.CreateCollectionAsync("orders");

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() => context.Database.CreateCollectionAsync("orders"));

        Assert.Equal((48, "NamespaceExists"), (ex.Code, ex.CodeName));
    }

    [Fact]
    public async Task ListCollectionNames_WithNameFilter_ReturnsOnlyMatching()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Collection("a").InsertOneAsync(new BsonDocument());
        await context.Collection("b").InsertOneAsync(new BsonDocument());

        var names = await (await context.Database.ListCollectionNamesAsync(new ListCollectionNamesOptions
        {
            Filter = Builders<BsonDocument>.Filter.Eq("name", "b"),
        })).ToListAsync();

        Assert.Equal(["b"], names);
    }

    [Fact]
    public async Task ListCollections_FullEntries_ReportTypeAndUuid()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Database.CreateCollectionAsync("orders");

        var entry = await (await context.Database.ListCollectionsAsync()).SingleAsync();

        Assert.Equal("collection", entry["type"].AsString);
        Assert.Equal(BsonBinarySubType.UuidStandard, entry["info"]["uuid"].AsBsonBinaryData.SubType);
    }

    [Fact]
    public async Task DropCollection_Existing_RemovesCollectionAndData()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Collection("orders").InsertOneAsync(new BsonDocument("_id", 1));

        await context.Database.DropCollectionAsync("orders");
        await context.Database.DropCollectionAsync("never-existed");

        Assert.Empty(await (await context.Database.ListCollectionNamesAsync()).ToListAsync());
        Assert.Equal(0, await context.Collection("orders").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty));
    }

    [Fact]
    public async Task ListDatabaseNamesAndDropDatabase_AfterInsert_ReflectData()
    {
        await using var context = await MongoTestContext.StartAsync();
        await context.Client.GetDatabase("tenant_a").GetCollection<BsonDocument>("x").InsertOneAsync(new BsonDocument());
        await context.Client.GetDatabase("tenant_b").GetCollection<BsonDocument>("x").InsertOneAsync(new BsonDocument());

        var before = await (await context.Client.ListDatabaseNamesAsync()).ToListAsync();
        await context.Client.DropDatabaseAsync("tenant_a");
        var after = await (await context.Client.ListDatabaseNamesAsync()).ToListAsync();

        Assert.Equal(["tenant_a", "tenant_b"], before);
        Assert.Equal(["tenant_b"], after);
    }

    [Fact]
    public async Task RunCommand_UnknownCommand_ThrowsCommandNotFound59()
    {
        await using var context = await MongoTestContext.StartAsync();

        var ex = await Assert.ThrowsAsync<MongoCommandException>(() =>
            context.Database.RunCommandAsync<BsonDocument>(new BsonDocument("frobnicate", 1)));

        Assert.Equal((59, "CommandNotFound"), (ex.Code, ex.CodeName));
        Assert.Contains("no such command: 'frobnicate'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_HelloAndBuildInfo_ReportWritableMongo70()
    {
        await using var context = await MongoTestContext.StartAsync();
        var admin = context.Client.GetDatabase("admin");

        var hello = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1));
        var buildInfo = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1));

        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.Equal((0, 21, 30), (hello["minWireVersion"].AsInt32, hello["maxWireVersion"].AsInt32, hello["logicalSessionTimeoutMinutes"].AsInt32));
        Assert.Equal("7.0.0-conduit-test", buildInfo["version"].AsString);
    }
}
