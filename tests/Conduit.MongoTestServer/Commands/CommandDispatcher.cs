using System.Collections.Frozen;
using Conduit.MongoTestServer.Storage;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>Routes a command to its handler by name and turns failures into <c>{ok: 0}</c> replies.</summary>
/// <remarks>Every handler runs under the store's single lock, so commands are atomic with respect to each other.</remarks>
internal sealed class CommandDispatcher(MemoryStore store)
{
    private static readonly FrozenDictionary<string, Func<CommandContext, BsonDocument>> _handlers =
        new Dictionary<string, Func<CommandContext, BsonDocument>>(StringComparer.Ordinal)
        {
            ["hello"] = HandshakeCommands.Hello,
            ["isMaster"] = HandshakeCommands.Hello,
            ["ismaster"] = HandshakeCommands.Hello,
            ["ping"] = HandshakeCommands.Ok,
            ["buildInfo"] = HandshakeCommands.BuildInfo,
            ["buildinfo"] = HandshakeCommands.BuildInfo,
            ["connectionStatus"] = HandshakeCommands.ConnectionStatus,
            ["endSessions"] = HandshakeCommands.Ok,
            ["killSessions"] = HandshakeCommands.Ok,
            ["killAllSessions"] = HandshakeCommands.Ok,
            ["killAllSessionsByPattern"] = HandshakeCommands.Ok,
            ["refreshSessions"] = HandshakeCommands.Ok,
            ["insert"] = WriteCommands.Insert,
            ["update"] = WriteCommands.Update,
            ["delete"] = WriteCommands.Delete,
            ["find"] = ReadCommands.Find,
            ["count"] = ReadCommands.Count,
            ["distinct"] = ReadCommands.Distinct,
            ["aggregate"] = ReadCommands.Aggregate,
            ["getMore"] = CursorCommands.GetMore,
            ["killCursors"] = CursorCommands.KillCursors,
            ["findAndModify"] = FindAndModifyCommand.Execute,
            ["findandmodify"] = FindAndModifyCommand.Execute,
            ["createIndexes"] = IndexCommands.CreateIndexes,
            ["listIndexes"] = IndexCommands.ListIndexes,
            ["dropIndexes"] = IndexCommands.DropIndexes,
            ["deleteIndexes"] = IndexCommands.DropIndexes,
            ["create"] = CollectionCommands.Create,
            ["drop"] = CollectionCommands.Drop,
            ["listCollections"] = CollectionCommands.ListCollections,
            ["listDatabases"] = DatabaseCommands.ListDatabases,
            ["dropDatabase"] = DatabaseCommands.DropDatabase,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Runs a command and returns its reply, <c>ok: 1.0</c> or an error document.</summary>
    public BsonDocument Execute(string database, BsonDocument command, int connectionId)
    {
        try
        {
            if (command.ElementCount == 0)
            {
                throw ServerErrors.FailedToParse("empty command");
            }

            var name = command.GetElement(0).Name;
            if (!_handlers.TryGetValue(name, out var handler))
            {
                throw ServerErrors.CommandNotFound(name);
            }

            if (database.Length == 0)
            {
                throw new CommandException(40571, "Location40571", "OP_MSG requests require a $db argument");
            }

            var context = new CommandContext { Database = database, Command = command, ConnectionId = connectionId, Store = store };
            BsonDocument reply;
            lock (store.Gate)
            {
                reply = handler(context);
            }

            reply["ok"] = 1.0;
            return reply;
        }
        catch (CommandException ex)
        {
            return ex.ToReply();
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            // A field of the wrong BSON type (AsString on an int…) is the client's mistake, as on a real server.
            return ServerErrors.BadValue(ex.Message).ToReply();
        }
        catch (Exception ex)
        {
            // Anything else is a gap in this test double. Answering with an error keeps the connection and the
            // test's own assertions meaningful instead of dropping the socket mid-command.
            return new CommandException(1, "InternalError", $"Conduit.MongoTestServer failed on this command: {ex.GetType().Name}: {ex.Message}").ToReply();
        }
    }
}
