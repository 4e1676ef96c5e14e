using System.Collections.Concurrent;
using Conduit.Projects;
using Conduit.Redis;

namespace Conduit.Client;

/// <summary>
/// This frontend's Redis coalescers, one per project in use; a coalescer unused for a sweep period is
/// dropped, so a frontend that touched 100,000 projects once does not keep 100,000 of them.
/// </summary>
internal sealed class RedisPipelining : IDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, RedisCoalescer> _coalescers = new(StringComparer.Ordinal);
    private readonly int _maxInFlight;
    private readonly int _maxBatch;
    private readonly Timer? _sweep;

    public RedisPipelining(ConduitClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxInFlight = options.RedisMaxInFlightCalls;
        _maxBatch = options.RedisMaxCoalescedCommands;
        if (Enabled)
        {
            _sweep = new Timer(static state => ((RedisPipelining)state!).Sweep(), this, SweepPeriod, SweepPeriod);
        }
    }

    /// <summary>False when <see cref="ConduitClientOptions.RedisMaxInFlightCalls"/> is 0: every command is its own call.</summary>
    public bool Enabled => _maxInFlight > 0;

    /// <summary>Coalescers alive now.</summary>
    public int Count => _coalescers.Count;

    /// <summary>Commands sent inside batch calls by the coalescers alive now.</summary>
    public long Coalesced => _coalescers.Values.Sum(c => c.Coalesced);

    public Task<RedisReply> ExecuteAsync(string projectRef, IProjectConnectionGrain grain, RedisCommand command, CancellationToken cancellationToken = default)
    {
        if (!Enabled || command.Database is not null)
        {
            return grain.RedisExecuteAsync(command, cancellationToken);
        }

        while (true)
        {
            var coalescer = _coalescers.GetOrAdd(projectRef, static (_, state) => new RedisCoalescer(state.grain, state.self._maxInFlight, state.self._maxBatch), (grain, self: this));
            if (coalescer.TryExecute(command, cancellationToken) is { } reply)
            {
                return reply;
            }

            // Retired by the sweep between the lookup and the call: forget it and take a fresh one.
            _coalescers.TryRemove(new KeyValuePair<string, RedisCoalescer>(projectRef, coalescer));
        }
    }

    /// <summary>Drops the coalescers idle for a whole sweep period.</summary>
    internal void Sweep(TimeSpan? idleFor = null)
    {
        var before = Environment.TickCount64 - (long)(idleFor ?? SweepPeriod).TotalMilliseconds;
        foreach (var (projectRef, coalescer) in _coalescers)
        {
            if (coalescer.TryRetire(before))
            {
                _coalescers.TryRemove(new KeyValuePair<string, RedisCoalescer>(projectRef, coalescer));
            }
        }
    }

    public void Dispose() => _sweep?.Dispose();
}
