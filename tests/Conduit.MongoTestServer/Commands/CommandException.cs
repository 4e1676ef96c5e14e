using MongoDB.Bson;

namespace Conduit.MongoTestServer.Commands;

/// <summary>A server-side error with a MongoDB error code, turned into <c>{ok: 0, errmsg, code, codeName}</c>.</summary>
internal sealed class CommandException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CommandException"/> class.</summary>
    public CommandException(int code, string codeName, string message, BsonDocument? details = null)
        : base(message)
    {
        Code = code;
        CodeName = codeName;
        Details = details;
    }

    /// <summary>Gets the MongoDB error code, e.g. 11000.</summary>
    public int Code { get; }

    /// <summary>Gets the MongoDB code name, e.g. <c>DuplicateKey</c>.</summary>
    public string CodeName { get; }

    /// <summary>Gets extra fields the real server adds, e.g. <c>keyPattern</c> and <c>keyValue</c>.</summary>
    public BsonDocument? Details { get; }

    /// <summary>Builds the command-level error reply.</summary>
    public BsonDocument ToReply()
    {
        var reply = new BsonDocument { { "ok", 0.0 }, { "errmsg", Message }, { "code", Code }, { "codeName", CodeName } };
        if (Details is not null)
        {
            reply.AddRange(Details);
        }

        return reply;
    }

    /// <summary>Builds a <c>writeErrors</c> entry for the statement at <paramref name="index"/>.</summary>
    public BsonDocument ToWriteError(int index)
    {
        var error = new BsonDocument { { "index", index }, { "code", Code }, { "errmsg", Message } };
        if (Details is not null)
        {
            error.AddRange(Details);
        }

        return error;
    }
}
