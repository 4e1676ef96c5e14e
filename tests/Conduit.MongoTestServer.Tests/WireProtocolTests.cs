using MongoDB.Bson;

namespace Conduit.MongoTestServer.Tests;

public sealed class WireProtocolTests
{
    [Fact]
    public async Task OpQuery_LegacyIsMasterOnAdminCmd_RepliesWithOpReply()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        var requestId = await client.SendQueryAsync("admin.$cmd", BsonDocument.Parse("{ isMaster: 1, helloOk: true }"));
        var (responseTo, opCode, reply) = await client.ReadReplyAsync();

        Assert.Equal((requestId, 1), (responseTo, opCode));
        Assert.True(reply["ismaster"].AsBoolean);
        Assert.True(reply["helloOk"].AsBoolean);
        Assert.Equal((21, 1.0), (reply["maxWireVersion"].AsInt32, reply["ok"].ToDouble()));
    }

    [Fact]
    public async Task OpQuery_WrappedInDollarQuery_UnwrapsCommand()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        await client.SendQueryAsync("admin.$cmd", BsonDocument.Parse("{ $query: { ping: 1 }, $readPreference: { mode: 'primary' } }"));
        var (_, _, reply) = await client.ReadReplyAsync();

        Assert.Equal(BsonDocument.Parse("{ ok: 1.0 }"), reply);
    }

    [Fact]
    public async Task OpMsg_ChecksumPresent_IsAcceptedAndAnswered()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        var requestId = await client.SendMsgAsync(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"), RawWireClient.ChecksumPresent);
        var (responseTo, opCode, reply) = await client.ReadReplyAsync();

        Assert.Equal((requestId, 2013, 1.0), (responseTo, opCode, reply["ok"].ToDouble()));
    }

    [Fact]
    public async Task OpMsg_DocumentSequence_IsMergedIntoTheCommand()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        await client.SendMsgAsync(
            BsonDocument.Parse("{ insert: 'c', $db: 'db' }"),
            RawWireClient.ChecksumPresent,
            "documents",
            new BsonDocument("_id", 1),
            new BsonDocument("_id", 2));
        var (_, _, reply) = await client.ReadReplyAsync();

        Assert.Equal(BsonDocument.Parse("{ n: 2, ok: 1.0 }"), reply);
    }

    [Fact]
    public async Task OpMsg_MoreToCome_ExecutesWithoutReplying()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        await client.SendMsgAsync(BsonDocument.Parse("{ insert: 'c', $db: 'db' }"), RawWireClient.MoreToCome, "documents", new BsonDocument("_id", 7));
        var findId = await client.SendMsgAsync(BsonDocument.Parse("{ find: 'c', $db: 'db' }"));
        var (responseTo, _, reply) = await client.ReadReplyAsync();

        Assert.Equal(findId, responseTo);
        Assert.Equal(new BsonArray { new BsonDocument("_id", 7) }, reply["cursor"]["firstBatch"].AsBsonArray);
    }

    [Fact]
    public async Task OpMsg_WithoutDb_RepliesWithError()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        await client.SendMsgAsync(BsonDocument.Parse("{ ping: 1 }"));
        var (_, _, reply) = await client.ReadReplyAsync();

        Assert.Equal((0.0, 40571), (reply["ok"].ToDouble(), reply["code"].AsInt32));
    }

    [Fact]
    public async Task Message_WithImpossibleLength_ClosesTheConnection()
    {
        await using var server = await MongoWireTestServer.StartAsync();
        using var client = await RawWireClient.ConnectAsync(server.Port);

        await client.SendRawAsync([5, 0, 0, 0, 0, 0, 0, 0]);

        Assert.True(await client.IsClosedByPeerAsync());
    }
}
