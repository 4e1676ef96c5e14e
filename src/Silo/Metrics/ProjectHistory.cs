using Conduit.Model;

namespace Conduit.Silo.Metrics;

/// <summary>
/// One project's figures for one database type since the last flush. Operation counts use interlocked
/// updates (the data path never takes a lock); pool samples, rarer, take the object's lock.
/// </summary>
internal sealed class ProjectHistory(Tier tier)
{
    private long _queries;
    private long _errors;
    private long _elapsedTicks;
    private long _maxTicks;

    /// <summary>The tier last reported.</summary>
    public Tier Tier { get; set; } = tier;

    /// <summary>The last sample of each database's pool (by name); guarded by locking this object.</summary>
    public Dictionary<string, (int Active, int Idle, int Waiting, bool Open)> Pools { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when the grain deactivated: written once more, then forgotten.</summary>
    public bool Deactivated { get; set; }

    public void Completed(TimeSpan elapsed, bool failed)
    {
        Interlocked.Increment(ref _queries);
        if (failed)
        {
            Interlocked.Increment(ref _errors);
        }

        Interlocked.Add(ref _elapsedTicks, elapsed.Ticks);
        var max = Interlocked.Read(ref _maxTicks);
        while (elapsed.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, elapsed.Ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Takes the interval's operation figures and starts a new interval.</summary>
    public (long Queries, long Errors, TimeSpan Elapsed, TimeSpan Max) TakeInterval() =>
        (Interlocked.Exchange(ref _queries, 0), Interlocked.Exchange(ref _errors, 0), TimeSpan.FromTicks(Interlocked.Exchange(ref _elapsedTicks, 0)), TimeSpan.FromTicks(Interlocked.Exchange(ref _maxTicks, 0)));
}
