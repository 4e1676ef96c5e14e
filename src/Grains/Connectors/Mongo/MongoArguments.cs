using Conduit.Errors;
using MongoDB.Bson;

namespace Conduit.Connectors.Mongo;

/// <summary>
/// Reads one operation's argument document field by field; every mistake is an <c>INVALID_REQUEST</c>
/// whose message starts with the field's path (<c>filter: …</c>, <c>operations[2].updateOne.update: …</c>).
/// </summary>
internal sealed class MongoArguments
{
    private readonly BsonDocument _document;
    private readonly string _path;
    private readonly string _owner;
    private readonly List<string> _known = [];

    public MongoArguments(BsonDocument document, string owner, string path = "")
    {
        _document = document;
        _owner = owner;
        _path = path;
    }

    /// <summary>The path of <paramref name="name"/> for messages.</summary>
    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>A document field, or null when absent (<paramref name="required"/> makes absence an error).</summary>
    public BsonDocument? Document(string name, bool required = false)
    {
        var value = Get(name, required);
        return value switch
        {
            null => null,
            BsonDocument document => document,
            _ => throw Invalid(name, $"must be a document, not {Describe(value)}."),
        };
    }

    /// <summary>An array field, or null when absent.</summary>
    public BsonArray? Array(string name, bool required = false)
    {
        var value = Get(name, required);
        return value switch
        {
            null => null,
            BsonArray array => array,
            _ => throw Invalid(name, $"must be an array, not {Describe(value)}."),
        };
    }

    /// <summary>A document or an array field (an update: operators or a pipeline).</summary>
    public BsonValue? DocumentOrArray(string name, bool required = false)
    {
        var value = Get(name, required);
        return value switch
        {
            null => null,
            BsonDocument or BsonArray => value,
            _ => throw Invalid(name, $"must be a document or an array, not {Describe(value)}."),
        };
    }

    /// <summary>A whole number in <paramref name="min"/>..<paramref name="max"/>, or null when absent.</summary>
    public long? Integer(string name, long min, long max)
    {
        var value = Get(name, required: false);
        long? number = value switch
        {
            null => null,
            BsonInt32 i => i.Value,
            BsonInt64 l => l.Value,
            BsonDouble d when Math.Abs(d.Value % 1) == 0 && d.Value >= long.MinValue && d.Value <= long.MaxValue => (long)d.Value,
            _ => throw Invalid(name, $"must be a whole number, not {Describe(value)}."),
        };
        if (number is { } n && (n < min || n > max))
        {
            throw Invalid(name, $"must be between {min} and {max}; it is {n}.");
        }

        return number;
    }

    /// <summary>A boolean, or null when absent.</summary>
    public bool? Boolean(string name)
    {
        var value = Get(name, required: false);
        return value switch
        {
            null => null,
            BsonBoolean b => b.Value,
            _ => throw Invalid(name, $"must be true or false, not {Describe(value)}."),
        };
    }

    /// <summary>A non-empty string, or null when absent; when <paramref name="allowed"/> is given, one of those (case-sensitive).</summary>
    public string? Text(string name, bool required = false, IReadOnlyList<string>? allowed = null)
    {
        var value = Get(name, required);
        var text = value switch
        {
            null => null,
            BsonString { Value.Length: > 0 } s => s.Value,
            _ => throw Invalid(name, $"must be a non-empty string, not {Describe(value)}."),
        };
        if (text is not null && allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw Invalid(name, $"must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}; it is \"{text}\".");
        }

        return text;
    }

    /// <summary>Refuses any field that was not read: a misspelt option must not be silently ignored.</summary>
    public void RejectUnknown()
    {
        foreach (var element in _document)
        {
            if (!_known.Contains(element.Name, StringComparer.Ordinal))
            {
                var expected = _known.Count == 0 ? "it takes no arguments" : $"expected {string.Join(", ", _known)}";
                throw Invalid(element.Name, $"is not an argument of {_owner}; {expected}.");
            }
        }
    }

    /// <summary>An <c>INVALID_REQUEST</c> for <paramref name="name"/> under this document's path.</summary>
    public ConduitException Invalid(string name, string why) => new(ErrorCodes.InvalidRequest, $"{PathOf(name)}: {why}");

    /// <summary>A short description of a value's type for messages.</summary>
    public static string Describe(BsonValue value) => value.BsonType switch
    {
        BsonType.Document => "a document",
        BsonType.Array => "an array",
        BsonType.String => "a string",
        BsonType.Null => "null",
        BsonType.Boolean => "a boolean",
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => "a number",
        var other => $"a {other}",
    };

    private BsonValue? Get(string name, bool required)
    {
        _known.Add(name);
        if (_document.TryGetValue(name, out var value) && !value.IsBsonNull)
        {
            return value;
        }

        return required ? throw Invalid(name, "is required.") : null;
    }
}
