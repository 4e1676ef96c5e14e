using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Conduit.Tests.Mongo;

/// <summary>Bad input and the database's own refusals: each with its exact code, status and field.</summary>
[Collection(MongoSiloFixture.Collection)]
public sealed class MongoErrorTests
{
    private readonly MongoSiloFixture _fixture;

    public MongoErrorTests(MongoSiloFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        output.WriteLine($"MongoDB: {fixture.Target.Description}");
    }

    private HttpClient Admin => _fixture.Silo.Admin;

    [Fact]
    public async Task InsertOne_DuplicateKey_Returns409BackendError11000AndLeavesTheBreakerClosed()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "users", "createIndex", """{"keys": {"email": 1}, "unique": true}""").OkAsync();
        await Admin.MongoAsync(p, db, "users", "insertOne", """{"document": {"email": "a@example.com"}}""").OkAsync();

        for (var i = 0; i < 4; i++)
        {
            using var response = await Admin.MongoAsync(p, db, "users", "insertOne", """{"document": {"email": "a@example.com"}}""");
            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "BACKEND_ERROR");
            Assert.Equal("11000", problem.GetProperty("backendCode").GetString());
            Assert.Contains("E11000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var stats = await _fixture.Silo.Grains.GetGrain<IProjectConnectionGrain>(p).GetStatsAsync();
        Assert.Equal(BreakerState.Closed, stats.Databases.Single().Breaker);
    }

    [Fact]
    public async Task InsertMany_DuplicateKeyInTheBatch_Returns409NamingTheIndex()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        using var response = await Admin.MongoAsync(p, db, "c", "insertMany", """{"documents": [{"_id": 1}, {"_id": 2}, {"_id": 1}]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "BACKEND_ERROR");
        Assert.Equal("11000", problem.GetProperty("backendCode").GetString());
        Assert.Contains("at index 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"filter": {"_id": {"$oid": "not-hex"}}}""", "filter: not valid MongoDB Extended JSON")]
    [InlineData("""{"filter": 5}""", "filter: must be a document, not a number.")]
    [InlineData("""{"filter": "{\"a\": 1}"}""", "filter: must be a document, not a string.")]
    [InlineData("""{"filter": {"a": 1}, "sort": [1]}""", "sort: must be a document, not an array.")]
    [InlineData("""{"limit": -1}""", "limit: must be between 0 and 2147483647; it is -1.")]
    [InlineData("""{"filtr": {}}""", "filtr: is not an argument of find; expected filter, sort, projection, skip, limit.")]
    [InlineData("""{"filter": {"a": 1}""", "body: not valid JSON")]
    [InlineData("""[{"a": 1}]""", "body: must be a JSON object")]
    public async Task Find_InvalidArguments_Returns400NamingTheField(string body, string expected)
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        using var response = await Admin.MongoAsync(p, db, "c", "find", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("updateOne", """{"filter": {}, "update": {"a": 1}}""", "update: 'a' is not an update operator")]
    [InlineData("updateMany", """{"update": {"$set": {"a": 1}}}""", "filter: is required.")]
    [InlineData("replaceOne", """{"filter": {}, "replacement": {"$set": {"a": 1}}}""", "replacement: '$set' is an update operator")]
    [InlineData("insertOne", """{}""", "document: is required.")]
    [InlineData("insertMany", """{"documents": [{"a": 1}, 2]}""", "documents[1]: must be a document, not a number.")]
    [InlineData("aggregate", """{"pipeline": [{"$match": {}, "$limit": 1}]}""", "pipeline[0]: a stage is a document with one $-prefixed field")]
    [InlineData("bulkWrite", """{"operations": [{"insertOne": {"document": {}}}, {"updateOne": {"filter": {}, "update": {"$set": {}}, "upsrt": true}}]}""", "operations[1].updateOne.upsrt: is not an argument of updateOne")]
    [InlineData("bulkWrite", """{"operations": [{"upsertOne": {}}]}""", "operations[0]: 'upsertOne' is not a bulk write operation")]
    [InlineData("findOneAndUpdate", """{"filter": {}, "update": {"$set": {"a": 1}}, "returnDocument": "later"}""", "returnDocument: must be one of \"before\", \"after\"; it is \"later\".")]
    [InlineData("createIndex", """{"keys": {}}""", "keys: must name at least one field")]
    [InlineData("dropIndex", """{"name": "*"}""", "name: '*' would drop every index")]
    [InlineData("listIndexes", """{"x": 1}""", "x: is not an argument of listIndexes; it takes no arguments.")]
    [InlineData("createCollection", """{"validationLevel": "strict"}""", "validator: is required when validationLevel or validationAction is given.")]
    public async Task Operation_InvalidArguments_Returns400NamingTheField(string operation, string body, string expected)
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        using var response = await Admin.MongoAsync(p, db, "c", operation, body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOperation_Returns400ListingTheOperations()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        using var response = await Admin.MongoAsync(p, db, "c", "findAll");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("operation: 'findAll' is not a MongoDB operation Conduit serves; use one of find, countDocuments,", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad.name", "c", "database: 'bad.name' contains '.'")]
    [InlineData("bad$name", "c", "database: 'bad$name' contains '$'")]
    [InlineData("LONG", "c", "database: database names have fewer than 64 bytes; this one has 64.")]
    [InlineData("DB", "a$b", "collection: 'a$b' contains '$' or a null character")]
    [InlineData("DB", "system.users", "collection: 'system.users' is a system collection name")]
    [InlineData("DB", ".hidden", "collection: '.hidden' starts or ends with '.'")]
    public async Task Names_AgainstMongoRules_Returns400(string database, string collection, string expected)
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        var name = database switch
        {
            "DB" => db,
            "LONG" => new string('d', 64),
            _ => database,
        };

        using var response = await Admin.MongoAsync(p, name, collection, "find");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_OtherThanTheRegisteredOne_Returns403()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();

        using var other = await Admin.MongoAsync(p, "someone_else", "c", "find");
        using var viaOut = await Admin.MongoAsync(p, db, "c", "aggregate", """{"pipeline": [{"$out": {"db": "someone_else", "coll": "stolen"}}]}""");

        var problem = await other.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal($"database: the registered MongoDB allows only the database '{db}' named in its connection string, not 'someone_else'.", problem.GetProperty("detail").GetString());
        var outProblem = await viaOut.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.StartsWith("pipeline: the registered MongoDB allows only the database", outProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_RegistrationWithoutOne_AllowsAnyButMongosOwn()
    {
        var p = SiloApi.NewRef("m");
        await _fixture.Silo.CreateProjectAsync(p);
        await _fixture.Silo.AddDatabaseAsync(p, "mongodb", _fixture.Target.ConnectionStringFor(null));
        var db = _fixture.Target.NewDatabase();

        var inserted = await Admin.MongoAsync(p, db, "c", "insertOne", """{"document": {"a": 1}}""").OkAsync();
        using var admin = await Admin.MongoAsync(p, "admin", "c", "find");
        using var local = await Admin.MongoAsync(p, "local", null, "listCollections");

        Assert.True(inserted.Contains("insertedId"));
        var problem = await admin.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal("database: 'admin' is one of MongoDB's own databases (admin, local, config), which projects may not use.", problem.GetProperty("detail").GetString());
        await local.AssertProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Find_ServerRejectsTheFilter_Returns422WithTheServerCode()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        await Admin.MongoAsync(p, db, "c", "insertOne", """{"document": {"a": 1}}""").OkAsync();

        using var response = await Admin.MongoAsync(p, db, "c", "find", """{"filter": {"a": {"$nosuchoperator": 1}}}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "BACKEND_ERROR");
        Assert.Equal("2", problem.GetProperty("backendCode").GetString());
        Assert.StartsWith("MongoDB rejected the operation: 2 BadValue:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_MoreDocumentsThanTheRowCap_Returns422ResultTooLarge()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var batch = $$"""{"documents": [{{string.Join(",", Enumerable.Repeat("{\"x\": 1}", MongoSiloFixture.MaxRows))}}]}""";
        await Admin.MongoAsync(p, db, "many", "insertMany", batch).OkAsync();
        await Admin.MongoAsync(p, db, "many", "insertOne", """{"document": {"x": 1}}""").OkAsync();

        using var all = await Admin.MongoAsync(p, db, "many", "find");
        using var aggregate = await Admin.MongoAsync(p, db, "many", "aggregate", """{"pipeline": []}""");
        var capped = await Admin.MongoAsync(p, db, "many", "find", $$"""{"limit": {{MongoSiloFixture.MaxRows}}}""").OkAsync();

        var problem = await all.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "RESULT_TOO_LARGE");
        Assert.StartsWith($"The result has more than {MongoSiloFixture.MaxRows} documents", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await aggregate.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "RESULT_TOO_LARGE");
        Assert.Equal(MongoSiloFixture.MaxRows, capped["documents"].AsBsonArray.Count);
    }

    [Theory]
    [InlineData("insertMany", "documents", "{\"a\": 1}")]
    [InlineData("bulkWrite", "operations", "{\"insertOne\": {\"document\": {}}}")]
    public async Task Write_MoreDocumentsThanTheCap_Returns413BeforeTheDatabase(string operation, string field, string item)
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var body = $$"""{"{{field}}": [{{string.Join(",", Enumerable.Repeat(item, MongoSiloFixture.MaxRows + 1))}}]}""";

        using var response = await Admin.MongoAsync(p, db, "c", operation, body);
        var count = await Admin.MongoAsync(p, db, "c", "countDocuments").OkAsync();

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal($"{field}: {MongoSiloFixture.MaxRows + 1} items; one call may carry at most {MongoSiloFixture.MaxRows} (Conduit:DataPlane:MaxRows). Split them over several calls.", problem.GetProperty("detail").GetString());
        Assert.Equal(0L, count["count"].AsInt64);
    }

    [Fact]
    public async Task Body_OverTheRequestLimit_Returns413()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        var body = "{\"document\": {\"blob\": \"" + new string('x', 1024 * 1024 + 1) + "\"}}";

        using var response = await Admin.MongoAsync(p, db, "c", "insertOne", body);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task Body_NotJson_Returns400()
    {
        var (p, _, db) = await _fixture.CreateProjectAsync();
        using var content = new StringContent("filter=1", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var response = await Admin.PostAsync($"/api/platform/projects/{p}/mongodb/{db}/c/find", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("body: Content-Type must be application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_WithoutMongo_Returns404DatabaseNotRegistered()
    {
        var p = SiloApi.NewRef("m");
        await _fixture.Silo.CreateProjectAsync(p);

        using var response = await Admin.MongoAsync(p, "app", "c", "find");
        using var unknown = await Admin.MongoAsync(SiloApi.NewRef("m"), "app", "c", "find");
        using var named = await Admin.PostAsync($"/api/platform/projects/{p}/mongodb/app/c/find?registration=analytics", null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "DATABASE_NOT_REGISTERED");
        Assert.Contains("no mongodb database named 'default'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
        var namedProblem = await named.AssertProblemAsync(HttpStatusCode.NotFound, "DATABASE_NOT_REGISTERED");
        Assert.Contains("'analytics'", namedProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_MongoUrlThatTheDriverRefuses_Returns400WithoutThePassword()
    {
        var p = SiloApi.NewRef("m");
        await _fixture.Silo.CreateProjectAsync(p);

        using var response = await Admin.PostAsync($"/api/platform/projects/{p}/databases", new StringContent("""{"type": "mongodb", "connectionString": "mongodb://user:hunter2secret@host:99999/app"}""", Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.StartsWith("connectionString: the mongodb connection string cannot be used", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", problem.ToString(), StringComparison.Ordinal);
    }
}
