using Conduit.MongoTestServer.Protocol;
using Conduit.MongoTestServer.Query;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>listDatabases and dropDatabase.</summary>
internal static class DatabaseCommands
{
    /// <summary>Runs <c>{listDatabases: 1, filter, nameOnly}</c> on <c>admin</c>; a database exists while it holds a collection.</summary>
    public static BsonDocument ListDatabases(CommandContext context)
    {
        if (context.Database != "admin")
        {
            throw ServerErrors.Unauthorized("listDatabases may only be run against the admin database.");
        }

        var filter = context.Command.OptionalDocument("filter");
        var nameOnly = context.Command.OptionalBool("nameOnly");
        var databases = new BsonArray();
        long totalSize = 0;
        foreach (var database in context.Store.Databases)
        {
            var size = database.Collections.SelectMany(c => c.Documents).Sum(d => (long)BsonCodec.SizeOf(d));
            var entry = new BsonDocument { { "name", database.Name }, { "sizeOnDisk", size }, { "empty", size == 0 } };
            if (FilterMatcher.Matches(entry, filter))
            {
                databases.Add(nameOnly ? new BsonDocument("name", database.Name) : entry);
                totalSize += size;
            }
        }

        var reply = new BsonDocument("databases", databases);
        if (!nameOnly)
        {
            reply.Add("totalSize", totalSize);
            reply.Add("totalSizeMb", totalSize / (1024 * 1024));
        }

        return reply;
    }

    /// <summary>Runs <c>{dropDatabase: 1}</c>.</summary>
    public static BsonDocument DropDatabase(CommandContext context)
    {
        context.Store.DropDatabase(context.Database);
        return new BsonDocument("dropped", context.Database);
    }
}
