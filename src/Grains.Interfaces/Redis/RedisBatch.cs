namespace Conduit.Redis;

/// <summary>Commands sent to one Redis database as one pipeline, e.g. a hundred <c>GET</c>s in one call.</summary>
/// <param name="Commands">The commands, run in this order. A command's own <see cref="RedisCommand.Database"/> must be null or the batch's.</param>
/// <param name="Database">The registered database's name, or null for the project's default Redis.</param>
[GenerateSerializer, Immutable, Alias("Conduit.RedisBatch")]
public sealed record RedisBatch(
    [property: Id(0)] IReadOnlyList<RedisCommand> Commands,
    [property: Id(1)] string? Database = null);
