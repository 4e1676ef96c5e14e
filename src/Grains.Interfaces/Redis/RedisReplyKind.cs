namespace Conduit.Redis;

/// <summary>The shape of a Redis reply.</summary>
public enum RedisReplyKind
{
    /// <summary>A nil reply (missing key, no value).</summary>
    Null = 0,

    /// <summary>A bulk or status string, in <see cref="RedisReply.Text"/>.</summary>
    Text = 1,

    /// <summary>An integer, in <see cref="RedisReply.Number"/>.</summary>
    Number = 2,

    /// <summary>An array of replies, in <see cref="RedisReply.Items"/>.</summary>
    Array = 3,
}
