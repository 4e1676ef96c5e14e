using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>Indexes and collections: create, list, drop.</summary>
public sealed partial class MongoConnector
{
    private async Task<MongoResult> CreateIndexAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var name = await Collection<BsonDocument>(request).Indexes.CreateOneAsync(request.Index, options: null, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("name", name));
    }

    private async Task<MongoResult> ListIndexesAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        using var cursor = await Collection<BsonDocument>(request).Indexes.ListAsync(cancellationToken).ConfigureAwait(false);
        return Documents(await DrainAsync(cursor, DocumentBytes, cancellationToken).ConfigureAwait(false));
    }

    private async Task<MongoResult> DropIndexAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        await Collection<BsonDocument>(request).Indexes.DropOneAsync(request.IndexName, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("dropped", request.IndexName));
    }

    private async Task<MongoResult> CreateCollectionAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        await _client.GetDatabase(request.Database).CreateCollectionAsync(request.Collection, request.CollectionOptions, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("created", request.Collection));
    }

    private async Task<MongoResult> ListCollectionsAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var options = new ListCollectionsOptions { Filter = new BsonDocumentFilterDefinition<BsonDocument>(request.Filter) };
        using var cursor = await _client.GetDatabase(request.Database).ListCollectionsAsync(options, cancellationToken).ConfigureAwait(false);
        return Documents(await DrainAsync(cursor, DocumentBytes, cancellationToken).ConfigureAwait(false));
    }

    private async Task<MongoResult> DropCollectionAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        await _client.GetDatabase(request.Database).DropCollectionAsync(request.Collection, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("dropped", request.Collection));
    }
}
