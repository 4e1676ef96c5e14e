using Conduit.Model;

namespace Conduit.Options;

/// <summary>The product's tier definitions; configuration under <c>Conduit:Tiers</c> may override each value.</summary>
public static class TierDefaults
{
    /// <summary>How long a queued operation waits for a permit unless configured.</summary>
    public static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(5);

    /// <summary>FREE: pool 2/5, 20 concurrent, queue 40, 10 s, low; 1,000 requests/s per database, burst 2,000.</summary>
    public static TierLimits Free => Make(2, 5, 20, 10, TimeSpan.FromSeconds(10), TierPriority.Low);

    /// <summary>STARTER: pool 5/10, 50 concurrent, queue 100, 30 s, medium; 2,500 requests/s, burst 5,000.</summary>
    public static TierLimits Starter => Make(5, 10, 50, 50, TimeSpan.FromSeconds(30), TierPriority.Medium);

    /// <summary>PRO: pool 10/50, 200 concurrent, queue 400, 60 s, high; 10,000 requests/s, burst 20,000.</summary>
    public static TierLimits Pro => Make(10, 50, 200, 200, TimeSpan.FromSeconds(60), TierPriority.High);

    /// <summary>ENTERPRISE: pool 20/100, 500 concurrent, queue 1000, 120 s, critical; 25,000 requests/s, burst 50,000.</summary>
    public static TierLimits Enterprise => Make(20, 100, 500, 1000, TimeSpan.FromSeconds(120), TierPriority.Critical);

    /// <summary>The default limits of <paramref name="tier"/>.</summary>
    public static TierLimits For(Tier tier) => tier switch
    {
        Tier.Free => Free,
        Tier.Starter => Starter,
        Tier.Pro => Pro,
        Tier.Enterprise => Enterprise,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    private static TierLimits Make(int min, int max, int concurrent, int subscriptions, TimeSpan queryTimeout, TierPriority priority) => new()
    {
        MinPoolSize = min,
        MaxPoolSize = max,
        MaxConcurrent = concurrent,
        QueueLimit = concurrent * 2,
        AcquireTimeout = AcquireTimeout,
        QueryTimeout = queryTimeout,
        Priority = priority,
        MaxSubscriptions = subscriptions,
        RequestsPerSecond = concurrent * 50,
        Burst = concurrent * 100,
    };
}
