using System.Collections.Concurrent;
using System.Diagnostics;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Cluster;

/// <summary>
/// A steady load of tenant calls (<c>select 1</c>, round-robin over the tenants) through the given
/// silos' REST API, recording per tenant when it last answered and every failure. Bounded: it stops
/// when disposed or after <see cref="MaxDuration"/>.
/// </summary>
public sealed class TenantLoad : IAsyncDisposable
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(3);

    private readonly IReadOnlyList<string> _refs;
    private readonly CancellationTokenSource _stop = new(MaxDuration);
    private readonly ConcurrentDictionary<string, long> _lastSuccess = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task[] _workers;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private long _calls;

    public TenantLoad(IReadOnlyList<SiloProcess> via, IReadOnlyList<string> refs, int workers = 4)
    {
        _refs = refs;
        _workers = Enumerable.Range(0, workers).Select(w => Task.Run(() => RunAsync(via[w % via.Count], w, workers))).ToArray();
    }

    /// <summary>Calls made so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Every failed call: tenant, status and body (or exception).</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Whether every tenant answered successfully after the <see cref="Stopwatch"/> timestamp <paramref name="since"/>.</summary>
    public bool AllAnsweredSince(long since) => _refs.All(r => _lastSuccess.TryGetValue(r, out var at) && at > since);

    /// <summary>For a failure message: the tenants silent since <paramref name="since"/> and the last failures, with times from the load's start.</summary>
    public string Describe(long since)
    {
        var silent = _refs.Where(r => !(_lastSuccess.TryGetValue(r, out var at) && at > since)).ToList();
        var lines = new List<string>
        {
            $"event at {Seconds(since):0.0} s; {Calls} calls; {silent.Count} tenants silent since: {string.Join(", ", silent.Take(10))}",
        };
        lines.AddRange(silent.Take(10).Select(r => $"  {r} last answered at {(_lastSuccess.TryGetValue(r, out var at) ? $"{Seconds(at):0.0} s" : "never")}"));
        lines.AddRange(_failures.TakeLast(20).Select(f => "  failure " + f));
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private double Seconds(long timestamp) => Stopwatch.GetElapsedTime(_startedAt, timestamp).TotalSeconds;

    private async Task RunAsync(SiloProcess silo, int offset, int stride)
    {
        var index = offset;
        while (!_stop.IsCancellationRequested)
        {
            var projectRef = _refs[index % _refs.Count];
            index += stride;
            Interlocked.Increment(ref _calls);
            try
            {
                using var response = await silo.Admin.QueryAsync(projectRef, "select 1");
                if (response.IsSuccessStatusCode)
                {
                    _lastSuccess[projectRef] = Stopwatch.GetTimestamp();
                }
                else
                {
                    _failures.Enqueue($"{Seconds(Stopwatch.GetTimestamp()):0.0} s {projectRef}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                _failures.Enqueue($"{Seconds(Stopwatch.GetTimestamp()):0.0} s {projectRef}: {e.GetType().Name} {e.Message}");
            }
        }
    }
}
