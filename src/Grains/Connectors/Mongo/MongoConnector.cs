using Conduit.Errors;
using Conduit.Mongo;
using Conduit.Options;
using Conduit.Projects;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// One <see cref="MongoClient"/> for one registered MongoDB, its pool sized by the tier (see
/// <see cref="MongoClientConfiguration"/>) and counted from the driver's pool events.
/// </summary>
/// <remarks>
/// Owned by a pool generation of the project's grain; disposed (closing its connections) when that
/// generation retires. Which databases a project may use follows from the registered URL: the one
/// database in its path, or — when the path is empty or <c>admin</c> (often there only to authenticate)
/// — any database except MongoDB's own <c>admin</c>, <c>local</c> and <c>config</c>.
/// </remarks>
public sealed partial class MongoConnector : IDatabaseConnector
{
    /// <summary>The most bytes of documents one call returns: under Orleans' default 100 MiB message limit.</summary>
    public const int MaxResultBytes = 64 * 1024 * 1024;

    private static readonly byte[] EmptySummary = new BsonDocument().ToBson();

    private readonly MongoClient _client;
    private readonly MongoPoolCounter _pool = new();
    private readonly TierLimits _limits;
    private readonly int _maxRows;

    /// <summary>Builds the client; it connects in the background, and the first operation waits for a server at most the server selection timeout.</summary>
    public MongoConnector(string connectionString, string applicationName, TierLimits limits, DataPlaneOptions dataPlane, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dataPlane);
        _limits = limits;
        _maxRows = dataPlane.MaxRows;
        var url = MongoClientConfiguration.Parse(connectionString);
        RestrictedDatabase = url.DatabaseName is { Length: > 0 } database && database != "admin" ? database : null;
        var settings = MongoClientConfiguration.Create(url, applicationName, limits, dataPlane, idleTimeout);
        settings.ClusterConfigurator = _pool.Subscribe;
        _client = new MongoClient(settings);
    }

    /// <summary>The only database the project may use, when its registered URL names one; null when any non-system database is allowed.</summary>
    public string? RestrictedDatabase { get; }

    /// <summary>Runs one validated operation; failures are translated into <see cref="ConduitException"/>.</summary>
    internal async ValueTask<MongoResult> ExecuteAsync(MongoRequest request, CancellationToken cancellationToken)
    {
        CheckAccess(request.Database, "database");
        foreach (var other in request.OtherDatabases)
        {
            CheckAccess(other, "pipeline");
        }

        try
        {
            return request.Operation switch
            {
                MongoOperation.Find => await FindAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.CountDocuments => await CountAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.Aggregate => await AggregateAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.InsertOne => await InsertOneAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.InsertMany => await InsertManyAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.UpdateOne or MongoOperation.UpdateMany => await UpdateAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.ReplaceOne => await ReplaceAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.DeleteOne or MongoOperation.DeleteMany => await DeleteAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.FindOneAndUpdate => await FindOneAndUpdateAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.BulkWrite => await BulkWriteAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.CreateIndex => await CreateIndexAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.ListIndexes => await ListIndexesAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.DropIndex => await DropIndexAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.CreateCollection => await CreateCollectionAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.ListCollections => await ListCollectionsAsync(request, cancellationToken).ConfigureAwait(false),
                MongoOperation.DropCollection => await DropCollectionAsync(request, cancellationToken).ConfigureAwait(false),
                _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"operation: {request.Operation} is not served."),
            };
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A cancelled socket read surfaces as a connection failure; the pipeline's timeout cancelled it,
            // so let the timeout strategy report QUERY_TIMEOUT.
            throw new OperationCanceledException("The MongoDB operation was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (MongoErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            // ping needs no privileges, so the registration's own database serves when admin is not allowed.
            await _client.GetDatabase(RestrictedDatabase ?? "admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The MongoDB ping was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (MongoErrors.Translate(e) is { } translated && !ReferenceEquals(translated, e))
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public PoolStats GetPoolStats(int waiting)
    {
        var open = _pool.Open;
        var active = Math.Min(_pool.CheckedOut, open);
        return new PoolStats(active, open - active, waiting, _limits.MinPoolSize, _limits.MaxPoolSize);
    }

    /// <inheritdoc />
    public void ClearPool()
    {
        // The driver clears a server's pool itself when a network error or a failed heartbeat marks the
        // server unknown, so no connection that died with the server is handed out after it recovers.
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        var cluster = _client.Cluster;
        _client.Dispose();
        // MongoClient.Dispose leaves the cluster it registered open (connections, monitors); the
        // registry closes it. The cluster is this connector's alone: its settings carry this
        // connector's own pool-event subscriber, so no other client shares its registry key.
        ClusterRegistry.Instance.UnregisterAndDisposeCluster(cluster);
        return ValueTask.CompletedTask;
    }

    private void CheckAccess(string database, string field)
    {
        if (RestrictedDatabase is { } only)
        {
            if (database != only)
            {
                throw new ConduitException(ErrorCodes.Forbidden, $"{field}: the registered MongoDB allows only the database '{only}' named in its connection string, not '{database}'.");
            }
        }
        else if (MongoNames.IsSystemDatabase(database))
        {
            throw new ConduitException(ErrorCodes.Forbidden, $"{field}: '{database}' is one of MongoDB's own databases (admin, local, config), which projects may not use.");
        }
    }

    private static MongoResult Summary(BsonDocument summary) => new(summary.ToBson(), []);

    private static MongoResult Documents(List<byte[]> documents) => new(EmptySummary, documents);

    private IMongoCollection<T> Collection<T>(MongoRequest request) =>
        _client.GetDatabase(request.Database).GetCollection<T>(request.Collection);
}
