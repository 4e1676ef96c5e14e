namespace Conduit.Redis;

/// <summary>A granted (or renewed) Redis subscription: renew it before <paramref name="Duration"/> runs out.</summary>
/// <param name="Channel">The channel subscribed to.</param>
/// <param name="Duration">How long the subscription lasts without renewal, from now.</param>
[GenerateSerializer, Immutable, Alias("Conduit.RedisSubscriptionLease")]
public sealed record RedisSubscriptionLease(
    [property: Id(0)] string Channel,
    [property: Id(1)] TimeSpan Duration);
