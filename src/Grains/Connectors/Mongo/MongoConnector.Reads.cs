using Conduit.Errors;
using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>Reads: find, countDocuments, aggregate, and the row and byte caps on what they return.</summary>
public sealed partial class MongoConnector
{
    private async Task<MongoResult> FindAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var options = new FindOptions<RawBsonDocument, RawBsonDocument>
        {
            Sort = request.Sort is null ? null : new BsonDocumentSortDefinition<RawBsonDocument>(request.Sort),
            Projection = request.Projection is null ? null : new BsonDocumentProjectionDefinition<RawBsonDocument, RawBsonDocument>(request.Projection),
            Skip = request.Skip > 0 ? request.Skip : null,
            // Ask for one past the cap, so a larger result is refused without reading all of it.
            Limit = request.Limit > 0 && request.Limit <= _maxRows ? request.Limit : _maxRows + 1,
            MaxTime = _limits.QueryTimeout,
        };
        using var cursor = await Collection<RawBsonDocument>(request).FindAsync(new BsonDocumentFilterDefinition<RawBsonDocument>(request.Filter), options, cancellationToken).ConfigureAwait(false);
        return Documents(await DrainAsync(cursor, RawBytes, cancellationToken).ConfigureAwait(false));
    }

    private async Task<MongoResult> CountAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var options = new CountOptions
        {
            Skip = request.Skip > 0 ? request.Skip : null,
            Limit = request.Limit > 0 ? request.Limit : null,
            MaxTime = _limits.QueryTimeout,
        };
        var count = await Collection<BsonDocument>(request).CountDocumentsAsync(request.Filter, options, cancellationToken).ConfigureAwait(false);
        return Summary(new BsonDocument("count", count));
    }

    private async Task<MongoResult> AggregateAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        var options = new AggregateOptions { AllowDiskUse = request.AllowDiskUse ? true : null, MaxTime = _limits.QueryTimeout };
        var collection = Collection<BsonDocument>(request);
        var last = request.Pipeline.Count > 0 ? request.Pipeline[^1].GetElement(0).Name : null;
        if (last is "$out" or "$merge")
        {
            // The driver's AggregateAsync would read the whole output collection back; a pipeline that
            // writes its output returns nothing.
            await collection.AggregateToCollectionAsync(PipelineDefinition<BsonDocument, BsonDocument>.Create(request.Pipeline), options, cancellationToken).ConfigureAwait(false);
            return Documents([]);
        }

        using var cursor = await collection.AggregateAsync(PipelineDefinition<BsonDocument, RawBsonDocument>.Create(request.Pipeline), options, cancellationToken).ConfigureAwait(false);
        return Documents(await DrainAsync(cursor, RawBytes, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads a cursor to its end as raw BSON, refusing more than the row cap or <see cref="MaxResultBytes"/>.</summary>
    private async Task<List<byte[]>> DrainAsync<T>(IAsyncCursor<T> cursor, Func<T, byte[]> toBytes, CancellationToken cancellationToken)
    {
        var documents = new List<byte[]>();
        long bytes = 0;
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in cursor.Current)
            {
                if (documents.Count >= _maxRows)
                {
                    throw new ConduitException(ErrorCodes.ResultTooLarge, $"The result has more than {_maxRows} documents, the most one call may return (Conduit:DataPlane:MaxRows). Narrow the filter, add a limit or page with skip and limit.");
                }

                var data = toBytes(document);
                bytes += data.Length;
                if (bytes > MaxResultBytes)
                {
                    throw new ConduitException(ErrorCodes.ResultTooLarge, $"The result is larger than {MaxResultBytes / (1024 * 1024)} MiB, the most one call may return. Add a projection or a smaller limit.");
                }

                documents.Add(data);
            }
        }

        return documents;
    }

    private static byte[] RawBytes(RawBsonDocument document)
    {
        using (document)
        {
            var bytes = new byte[document.Slice.Length];
            document.Slice.GetBytes(0, bytes, 0, bytes.Length);
            return bytes;
        }
    }

    private static byte[] DocumentBytes(BsonDocument document) => document.ToBson();
}
