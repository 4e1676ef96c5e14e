using Conduit.Mongo;
using Conduit.Projects;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Conduit.Client;

/// <summary>
/// MongoDB operations against a project's MongoDB, through its grain, taking and returning
/// <see cref="BsonDocument"/>. Named so it does not clash with <c>MongoDB.Driver.MongoClient</c>.
/// </summary>
/// <remarks>Which databases a project may use follows from its registered URL (see the README); others answer <c>FORBIDDEN</c>.</remarks>
public sealed class ConduitMongo
{
    private readonly IProjectConnectionGrain _grain;
    private readonly string? _registration;

    internal ConduitMongo(IProjectConnectionGrain grain, string? registration = null)
    {
        _grain = grain;
        _registration = registration;
    }

    /// <summary>The same operations against another MongoDB registered for the project under <paramref name="name"/>.</summary>
    public ConduitMongo Registration(string name) => new(_grain, name);

    /// <summary>A collection to run operations on.</summary>
    public ConduitMongoCollection Collection(string database, string collection) => new(this, database, collection);

    /// <summary>listCollections: one document per collection in <paramref name="database"/>, optionally filtered (e.g. <c>{name: "users"}</c>).</summary>
    public async Task<IReadOnlyList<BsonDocument>> ListCollectionsAsync(string database, BsonDocument? filter = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(database, null, MongoOperation.ListCollections, filter is null ? null : new BsonDocument("filter", filter), cancellationToken).ConfigureAwait(false);
        return ToDocuments(result);
    }

    /// <summary>
    /// Any operation with its arguments as a document (see <see cref="MongoOperation"/> for each one's fields); the
    /// answer has the same shape as the REST API's: the summary's fields plus <c>documents</c> or <c>document</c>.
    /// </summary>
    public async Task<BsonDocument> ExecuteAsync(string database, string? collection, MongoOperation operation, BsonDocument? arguments = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(database, collection, operation, arguments, cancellationToken).ConfigureAwait(false);
        var answer = BsonSerializer.Deserialize<BsonDocument>(result.Summary);
        switch (operation.DocumentsField())
        {
            case "document":
                answer.Add("document", result.Documents.Count == 0 ? BsonNull.Value : ToDocument(result.Documents[0]));
                break;
            case { } field:
                answer.Add(field, new BsonArray(ToDocuments(result)));
                break;
        }

        return answer;
    }

    internal Task<MongoResult> RunAsync(string database, string? collection, MongoOperation operation, BsonDocument? arguments, CancellationToken cancellationToken) =>
        _grain.MongoExecuteAsync(new MongoCommand(database, collection, operation, arguments is null || arguments.ElementCount == 0 ? null : arguments.ToBson(), _registration), cancellationToken);

    internal static BsonDocument ToDocument(byte[] bson) => BsonSerializer.Deserialize<BsonDocument>(bson);

    internal static BsonDocument Summary(MongoResult result) => ToDocument(result.Summary);

    internal static IReadOnlyList<BsonDocument> ToDocuments(MongoResult result) => [.. result.Documents.Select(ToDocument)];
}
