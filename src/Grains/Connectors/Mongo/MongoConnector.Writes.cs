using System.Globalization;
using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>Writes: inserts, updates, replacements, deletes, findOneAndUpdate and bulk writes, each answered with its figures.</summary>
public sealed partial class MongoConnector
{
    private async Task<MongoResult> InsertOneAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var document = request.Documents[0];
        // The driver adds an ObjectId _id to the document when it has none, so it is known after the call.
        await Collection<BsonDocument>(request).InsertOneAsync(document, options: null, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("insertedId", document.GetValue("_id", BsonNull.Value)));
    }

    private async Task<MongoResult> InsertManyAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        await Collection<BsonDocument>(request).InsertManyAsync(request.Documents, new InsertManyOptions { IsOrdered = request.Ordered }, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument
        {
            { "insertedCount", (long)request.Documents.Count },
            { "insertedIds", new BsonArray(request.Documents.Select(d => d.GetValue("_id", BsonNull.Value))) },
        });
    }

    private async Task<MongoResult> UpdateAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var collection = Collection<BsonDocument>(request);
        var options = new UpdateOptions { IsUpsert = request.Upsert };
        var result = request.Operation == MongoOperation.UpdateOne
            ? await collection.UpdateOneAsync(request.Filter, request.Update, options, cancellationToken).ConfigureAwait(false)
            : await collection.UpdateManyAsync(request.Filter, request.Update, options, cancellationToken).ConfigureAwait(false);
        return result.IsAcknowledged ? Summary(Updated(result.MatchedCount, result.IsModifiedCountAvailable ? result.ModifiedCount : 0, result.UpsertedId)) : Unacknowledged();
    }

    private async Task<MongoResult> ReplaceAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var result = await Collection<BsonDocument>(request).ReplaceOneAsync(request.Filter, request.Replacement!, new ReplaceOptions { IsUpsert = request.Upsert }, cancellationToken).ConfigureAwait(false);
        return result.IsAcknowledged ? Summary(Updated(result.MatchedCount, result.IsModifiedCountAvailable ? result.ModifiedCount : 0, result.UpsertedId)) : Unacknowledged();
    }

    private async Task<MongoResult> DeleteAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var collection = Collection<BsonDocument>(request);
        var result = request.Operation == MongoOperation.DeleteOne
            ? await collection.DeleteOneAsync(request.Filter, cancellationToken).ConfigureAwait(false)
            : await collection.DeleteManyAsync(request.Filter, cancellationToken).ConfigureAwait(false);
        return result.IsAcknowledged ? Summary(new BsonDocument("deletedCount", result.DeletedCount)) : Unacknowledged();
    }

    private async Task<MongoResult> FindOneAndUpdateAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var options = new FindOneAndUpdateOptions<BsonDocument>
        {
            Sort = request.Sort is null ? null : new BsonDocumentSortDefinition<BsonDocument>(request.Sort),
            Projection = request.Projection is null ? null : new BsonDocumentProjectionDefinition<BsonDocument, BsonDocument>(request.Projection),
            IsUpsert = request.Upsert,
            ReturnDocument = request.ReturnAfter ? ReturnDocument.After : ReturnDocument.Before,
            MaxTime = _limits.QueryTimeout,
        };
        var document = await Collection<BsonDocument>(request).FindOneAndUpdateAsync(request.Filter, request.Update, options, cancellationToken).ConfigureAwait(false);
        return Documents(document is null ? [] : [document.ToBson()]);
    }

    private async Task<MongoResult> BulkWriteAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var result = await Collection<BsonDocument>(request).BulkWriteAsync(request.Writes, new BulkWriteOptions { IsOrdered = request.Ordered }, cancellationToken).ConfigureAwait(false);
        if (!result.IsAcknowledged)
        {
            return Unacknowledged();
        }

        var upserted = new BsonDocument();
        foreach (var upsert in result.Upserts)
        {
            upserted.Add(upsert.Index.ToString(CultureInfo.InvariantCulture), upsert.Id);
        }

        return Summary(new BsonDocument
        {
            { "insertedCount", result.InsertedCount },
            { "matchedCount", result.MatchedCount },
            { "modifiedCount", result.IsModifiedCountAvailable ? result.ModifiedCount : 0 },
            { "deletedCount", result.DeletedCount },
            { "upsertedCount", (long)result.Upserts.Count },
            { "upsertedIds", upserted },
        });
    }

    private static BsonDocument Updated(long matched, long modified, BsonValue? upsertedId) => new()
    {
        { "matchedCount", matched },
        { "modifiedCount", modified },
        { "upsertedId", upsertedId ?? BsonNull.Value },
    };

    /// <summary>With write concern w:0 the server confirms nothing, so there are no figures to report.</summary>
    private static MongoResult Unacknowledged() => Summary(new BsonDocument("acknowledged", false));
}
