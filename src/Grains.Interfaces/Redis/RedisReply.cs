namespace Conduit.Redis;

/// <summary>A Redis reply, independent of the driver.</summary>
[GenerateSerializer, Immutable, Alias("Conduit.RedisReply")]
public sealed record RedisReply(
    [property: Id(0)] RedisReplyKind Kind,
    [property: Id(1)] string? Text = null,
    [property: Id(2)] long Number = 0,
    [property: Id(3)] IReadOnlyList<RedisReply>? Items = null)
{
    /// <summary>The nil reply.</summary>
    public static RedisReply Nil { get; } = new(RedisReplyKind.Null);

    /// <summary>A string reply.</summary>
    public static RedisReply FromText(string text) => new(RedisReplyKind.Text, Text: text);

    /// <summary>An integer reply (Redis integer).</summary>
    public static RedisReply FromNumber(long value) => new(RedisReplyKind.Number, Number: value);

    /// <summary>An array reply.</summary>
    public static RedisReply FromItems(IReadOnlyList<RedisReply> items) => new(RedisReplyKind.Array, Items: items);
}
