using Conduit.MongoTestServer.Protocol;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>Builds <c>{cursor: {firstBatch|nextBatch, id, ns}}</c> replies and keeps the rest of a result as a cursor.</summary>
internal static class CursorReply
{
    /// <summary>The first batch size a server uses when the client sets none.</summary>
    public const int DefaultFirstBatchSize = 101;

    // Leave room for the reply envelope inside the largest document the driver will accept.
    private const int MaxBatchBytes = BsonCodec.MaxBsonObjectSize - (16 * 1024);

    /// <summary>Returns the first batch of <paramref name="results"/> and opens a cursor over the rest, if any.</summary>
    public static BsonDocument First(CommandContext context, string ns, IReadOnlyList<BsonDocument> results, long? batchSize, bool singleBatch)
    {
        var queue = new Queue<BsonDocument>(results);
        var batch = batchSize == 0 ? [] : TakeBatch(queue, batchSize ?? DefaultFirstBatchSize);
        long id = 0;
        if (queue.Count > 0 && !singleBatch)
        {
            id = context.Store.OpenCursor(ns, queue);
        }

        return Build("firstBatch", batch, id, ns);
    }

    /// <summary>Builds a reply from an explicit batch and cursor id.</summary>
    public static BsonDocument Build(string batchField, BsonArray batch, long id, string ns) =>
        new("cursor", new BsonDocument { { batchField, batch }, { "id", new BsonInt64(id) }, { "ns", ns } });

    /// <summary>Dequeues up to <paramref name="batchSize"/> documents (0 means no limit), staying under 16 MiB.</summary>
    public static BsonArray TakeBatch(Queue<BsonDocument> queue, long batchSize)
    {
        var batch = new BsonArray();
        var bytes = 0L;
        while (queue.Count > 0 && (batchSize <= 0 || batch.Count < batchSize))
        {
            bytes += BsonCodec.SizeOf(queue.Peek());
            if (batch.Count > 0 && bytes > MaxBatchBytes)
            {
                break;
            }

            batch.Add(queue.Dequeue());
        }

        return batch;
    }
}
