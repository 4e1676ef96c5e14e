using Conduit.MongoTestServer.Protocol;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>hello / isMaster, ping, buildInfo and the session commands a standalone server accepts.</summary>
internal static class HandshakeCommands
{
    /// <summary>The version reported by buildInfo.</summary>
    public const string Version = "7.0.0-conduit-test";

    /// <summary>Wire version 21 is MongoDB 7.0; the 3.x drivers need at least 8 (MongoDB 4.2).</summary>
    public const int MaxWireVersion = 21;

    /// <summary>Answers hello and the legacy isMaster as a writable standalone server.</summary>
    /// <remarks>
    /// No <c>topologyVersion</c> is reported, so drivers fall back to polling heartbeats instead of
    /// streaming (awaitable) hello, which this server does not implement.
    /// </remarks>
    public static BsonDocument Hello(CommandContext context)
    {
        var legacy = context.Command.GetElement(0).Name != "hello";
        return new BsonDocument
        {
            { "helloOk", true },
            { legacy ? "ismaster" : "isWritablePrimary", true },
            { "maxBsonObjectSize", BsonCodec.MaxBsonObjectSize },
            { "maxMessageSizeBytes", BsonCodec.MaxMessageSizeBytes },
            { "maxWriteBatchSize", 100_000 },
            { "localTime", new BsonDateTime(DateTime.UtcNow) },
            { "logicalSessionTimeoutMinutes", 30 },
            { "connectionId", context.ConnectionId },
            { "minWireVersion", 0 },
            { "maxWireVersion", MaxWireVersion },
            { "readOnly", false },
        };
    }

    /// <summary>Answers commands that need nothing but <c>ok: 1</c> (ping, endSessions…).</summary>
    public static BsonDocument Ok(CommandContext context) => [];

    /// <summary>Answers buildInfo.</summary>
    public static BsonDocument BuildInfo(CommandContext context) => new()
    {
        { "version", Version },
        { "gitVersion", "conduit-test" },
        { "versionArray", new BsonArray { 7, 0, 0, 0 } },
        { "modules", new BsonArray() },
        { "allocator", "system" },
        { "javascriptEngine", "none" },
        { "sysInfo", "deprecated" },
        { "bits", 64 },
        { "debug", false },
        { "maxBsonObjectSize", BsonCodec.MaxBsonObjectSize },
        { "storageEngines", new BsonArray { "memory" } },
    };

    /// <summary>Answers connectionStatus for an unauthenticated connection.</summary>
    public static BsonDocument ConnectionStatus(CommandContext context) => new(
        "authInfo",
        new BsonDocument { { "authenticatedUsers", new BsonArray() }, { "authenticatedUserRoles", new BsonArray() } });
}
