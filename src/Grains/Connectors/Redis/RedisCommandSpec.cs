namespace Conduit.Connectors.Redis;

/// <summary>One supported Redis command: its name and how many arguments it takes.</summary>
/// <param name="Name">The command name, upper case.</param>
/// <param name="MinArgs">Fewest arguments after the name.</param>
/// <param name="MaxArgs">Most arguments after the name, or -1 for no limit.</param>
/// <param name="Step">For variadic commands, arguments past <paramref name="MinArgs"/> come in groups of this size (e.g. 2 for HSET field value).</param>
/// <param name="Usage">The syntax shown in error messages.</param>
public sealed record RedisCommandSpec(string Name, int MinArgs, int MaxArgs, int Step, string Usage);
