namespace Conduit.Connectors.Redis;

/// <summary>One validated command of a batch, ready to be written to the pipeline.</summary>
/// <param name="Name">The canonical (upper-case) command name from <see cref="RedisCommandTable"/>.</param>
/// <param name="Args">The arguments after the name.</param>
public sealed record RedisPipelinedCommand(string Name, IReadOnlyList<string> Args);
