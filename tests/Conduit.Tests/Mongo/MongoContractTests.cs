using Conduit.Connectors;
using Conduit.Connectors.Mongo;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Mongo;
using Conduit.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Tests.Mongo;

/// <summary>Pure checks (no I/O): names, argument parsing, client settings from the tier, secret-free targets.</summary>
public sealed class MongoContractTests
{
    [Fact]
    public void OperationNames_EveryOperation_RoundTripsCaseInsensitively()
    {
        foreach (var operation in Enum.GetValues<MongoOperation>())
        {
            Assert.True(MongoOperationNames.TryParse(operation.ToWireName().ToUpperInvariant(), out var parsed));
            Assert.Equal(operation, parsed);
        }

        Assert.Equal("countDocuments", MongoOperation.CountDocuments.ToWireName());
        Assert.False(MongoOperationNames.TryParse("drop", out _));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("t_0123456789abcdef")]
    [InlineData("ümlaut")]
    public void ValidateDatabase_ValidName_Passes(string name) => MongoNames.ValidateDatabase(name);

    [Theory]
    [InlineData("", "database: a database name is required.")]
    [InlineData("a b", "database: 'a b' contains ' '")]
    [InlineData("a\0b", @"database: 'a\0b' contains '\0'")]
    [InlineData("a/b", "database: 'a/b' contains '/'")]
    public void ValidateDatabase_InvalidName_Throws(string name, string expected)
    {
        var error = Assert.Throws<ConduitException>(() => MongoNames.ValidateDatabase(name));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCollection_NamespaceOver255Bytes_Throws()
    {
        var error = Assert.Throws<ConduitException>(() => MongoNames.ValidateCollection("app", new string('c', 252)));

        Assert.Equal("collection: the namespace 'app." + new string('c', 252) + "' has 256 bytes; MongoDB allows at most 255.", error.Message);
        MongoNames.ValidateCollection("app", new string('c', 251));
    }

    [Fact]
    public void Parse_ArgumentsNotBson_ThrowsInvalidRequest()
    {
        var error = Assert.Throws<ConduitException>(() => MongoRequestParser.Parse(new MongoCommand("app", "c", MongoOperation.Find, [1, 2, 3]), 10));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith("arguments: not a valid BSON document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OutAndMergeToOtherDatabases_AreReportedForTheAccessCheck()
    {
        var pipeline = new BsonArray
        {
            new BsonDocument("$match", new BsonDocument()),
            new BsonDocument("$merge", new BsonDocument("into", new BsonDocument { { "db", "elsewhere" }, { "coll", "x" } })),
        };

        var request = MongoRequestParser.Parse(new MongoCommand("app", "c", MongoOperation.Aggregate, new BsonDocument("pipeline", pipeline).ToBson()), 10);
        var same = MongoRequestParser.Parse(new MongoCommand("app", "c", MongoOperation.Aggregate, new BsonDocument("pipeline", new BsonArray { new BsonDocument("$out", new BsonDocument { { "db", "app" }, { "coll", "x" } }) }).ToBson()), 10);

        Assert.Equal(["elsewhere"], request.OtherDatabases);
        Assert.Empty(same.OtherDatabases);
    }

    [Fact]
    public void Parse_FindLimitAndSkip_AcceptWholeNumbersOfAnyBsonType()
    {
        var request = MongoRequestParser.Parse(new MongoCommand("app", "c", MongoOperation.Find, new BsonDocument { { "skip", 2L }, { "limit", 5.0 } }.ToBson()), 10);

        Assert.Equal((2, 5), (request.Skip, request.Limit));
        var error = Assert.Throws<ConduitException>(() => MongoRequestParser.Parse(new MongoCommand("app", "c", MongoOperation.Find, new BsonDocument("limit", 1.5).ToBson()), 10));
        Assert.Equal("limit: must be a whole number, not a number.", error.Message);
    }

    [Fact]
    public void ParseJson_DocumentsNestedAsDeepAsMongoAllows_AreRead()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\": ", 100)) + "1" + new string('}', 100);

        var arguments = Conduit.Silo.Api.MongoJson.Parse($"{{\"filter\": {nested}}}");

        Assert.Equal(1, arguments["filter"].AsBsonDocument.ElementCount);
    }

    [Fact]
    public void ClientSettings_FromTier_PoolTimeoutsAndApplicationName()
    {
        var limits = TierDefaults.Pro;
        var url = MongoUrl.Create("mongodb://db.example:27017/app");

        var settings = MongoClientConfiguration.Create(url, "conduit:proj-1", limits, new DataPlaneOptions { ConnectTimeout = TimeSpan.FromSeconds(10) }, TimeSpan.FromMinutes(5));

        Assert.Equal((10, 50), (settings.MinConnectionPoolSize, settings.MaxConnectionPoolSize));
        Assert.Equal(TimeSpan.FromMinutes(5), settings.MaxConnectionIdleTime);
        Assert.Equal(limits.AcquireTimeout, settings.WaitQueueTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(61), settings.SocketTimeout);
        Assert.Equal("conduit:proj-1", settings.ApplicationName);
    }

    [Fact]
    public void ClientSettings_ShortQueryTimeout_SelectionAndConnectStayInsideIt()
    {
        var limits = TierDefaults.Free;
        limits.QueryTimeout = TimeSpan.FromSeconds(1);

        var settings = MongoClientConfiguration.Create(MongoUrl.Create("mongodb://h/app?appName=mine"), "conduit:p", limits, new DataPlaneOptions(), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.ConnectTimeout);
        Assert.Equal("mine", settings.ApplicationName);
    }

    [Theory]
    [InlineData("mongodb://user:pw-1@a.example:27017,b.example:27018/app?replicaSet=rs0", "a.example:27017,b.example:27018/app")]
    [InlineData("mongodb://a.example", "a.example:27017")]
    [InlineData("mongodb+srv://user:pw-1@cluster0.example.net/shop?retryWrites=true", "mongodb+srv://cluster0.example.net/shop")]
    public void Describe_MongoUrl_HostsAndDatabaseWithoutCredentials(string url, string expected)
    {
        var target = ConnectionTargets.Describe(DatabaseType.MongoDb, url);

        Assert.Equal(expected, target);
        Assert.DoesNotContain("pw-1", target, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://a/b", "it must start with mongodb:// or mongodb+srv://")]
    [InlineData("mongodb://user:pw-1@host:99999/app", "it is not a MongoDB URL the driver accepts")]
    public void Describe_BadMongoUrl_ThrowsWithoutTheSecret(string url, string expected)
    {
        var error = Assert.Throws<ConduitException>(() => ConnectionTargets.Describe(DatabaseType.MongoDb, url));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(121, "DocumentValidationFailure", ErrorCodes.BackendError, "121")]
    [InlineData(2, "BadValue", ErrorCodes.BackendError, "2")]
    [InlineData(11001, "DuplicateKey", ErrorCodes.BackendError, "11000")]
    [InlineData(91, "ShutdownInProgress", ErrorCodes.BackendUnavailable, "91")]
    [InlineData(10107, "NotWritablePrimary", ErrorCodes.BackendUnavailable, "10107")]
    [InlineData(50, "MaxTimeMSExpired", ErrorCodes.QueryTimeout, "50")]
    public void Translate_ServerCommandErrors_KeepTheServerCode(int code, string codeName, string expected, string backendCode)
    {
        var result = new BsonDocument { { "ok", 0 }, { "code", code }, { "codeName", codeName }, { "errmsg", "why" } };

        var translated = MongoErrors.Translate(new MongoCommandException(Connection(), "Command failed.", new BsonDocument("find", "c"), result));

        Assert.Equal((expected, backendCode), (translated!.Code, translated.BackendCode));
    }

    [Fact]
    public void Translate_ConnectionFailures_UnavailableOrTimeout()
    {
        var reset = MongoErrors.Translate(new MongoConnectionException(Connection(), "An exception occurred while receiving a message from the server.", new IOException("reset", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset))));
        var timedOut = MongoErrors.Translate(new MongoConnectionException(Connection(), "An exception occurred while receiving a message from the server.", new TimeoutException()));

        Assert.Equal((ErrorCodes.BackendUnavailable, "ConnectionReset", true), (reset!.Code, reset.BackendCode, reset.IsTransient));
        Assert.Equal(ErrorCodes.QueryTimeout, timedOut!.Code);
    }

    [Fact]
    public void Translate_WriteConcernError_IsTheCallersBackendError()
    {
        var result = new WriteConcernResult(new BsonDocument { { "ok", 1 }, { "n", 1 }, { "writeConcernError", new BsonDocument { { "code", 64 }, { "errmsg", "waiting for replication timed out" } } } });

        var translated = MongoErrors.Translate(new MongoWriteConcernException(Connection(), "Write concern error.", result));

        Assert.Equal((ErrorCodes.BackendError, "64"), (translated!.Code, translated.BackendCode));
        Assert.Equal("MongoDB could not satisfy the write concern: waiting for replication timed out", translated.Message);
    }

    [Fact]
    public void Translate_TimeoutsAndCancellation_MapToTheirCodes()
    {
        var selection = MongoErrors.Translate(new TimeoutException("A timeout occurred after 500ms selecting a server using CompositeServerSelector …"));
        var poolWait = MongoErrors.Translate(new TimeoutException("Timed out after 5000ms waiting for a connection from the connection pool."));
        var cancelled = MongoErrors.Translate(new OperationCanceledException());

        Assert.Equal((ErrorCodes.BackendUnavailable, true), (selection!.Code, selection.IsTransient));
        Assert.Equal(ErrorCodes.QueueTimeout, poolWait!.Code);
        Assert.Null(cancelled);
    }

    private static MongoDB.Driver.Core.Connections.ConnectionId Connection() =>
        new(new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(1), new System.Net.DnsEndPoint("127.0.0.1", 27017)), 1);
}
