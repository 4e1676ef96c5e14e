namespace Conduit.Client;

/// <summary>A sorted set member with its score.</summary>
/// <param name="Member">The member.</param>
/// <param name="Score">Its score.</param>
public sealed record SortedSetEntry(string Member, double Score);
