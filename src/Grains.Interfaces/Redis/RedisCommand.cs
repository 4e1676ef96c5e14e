namespace Conduit.Redis;

/// <summary>One Redis command for a project's Redis database, e.g. <c>SET k v EX 60</c>.</summary>
/// <param name="Command">The command name, case-insensitive (<c>GET</c>, <c>SET</c>…).</param>
/// <param name="Args">The arguments after the command name.</param>
/// <param name="Database">The registered database's name, or null for the project's default Redis.</param>
[GenerateSerializer, Immutable, Alias("Conduit.RedisCommand")]
public sealed record RedisCommand(
    [property: Id(0)] string Command,
    [property: Id(1)] IReadOnlyList<string>? Args = null,
    [property: Id(2)] string? Database = null);
