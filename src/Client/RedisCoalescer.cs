using System.Text.RegularExpressions;
using Conduit.Errors;
using Conduit.Projects;
using Conduit.Redis;

namespace Conduit.Client;

/// <summary>
/// Pipelines one project's single Redis commands from this frontend: while <see cref="ConduitClientOptions.RedisMaxInFlightCalls"/>
/// calls to the grain are in flight, further commands wait and go together as one batch call when a call
/// returns — what StackExchange.Redis' multiplexer does on a socket, done on the grain. Each command still
/// gets its own reply or its own error.
/// </summary>
/// <remarks>
/// Ordering is that of the calls: commands one caller awaits in turn stay in order, and a batch runs its
/// commands in queue order on one Redis connection. A failure of the whole batch call (<c>CIRCUIT_OPEN</c>,
/// <c>RATE_LIMITED</c>…) fails every command in it, as it would have failed each one alone.
/// </remarks>
internal sealed partial class RedisCoalescer
{
    private readonly IProjectConnectionGrain _grain;
    private readonly int _maxInFlight;
    private readonly int _maxBatch;
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;
    private bool _retired;
    private long _lastUsed = Environment.TickCount64;
    private long _coalesced;

    public RedisCoalescer(IProjectConnectionGrain grain, int maxInFlight, int maxBatch)
    {
        _grain = grain;
        _maxInFlight = maxInFlight;
        _maxBatch = maxBatch;
    }

    /// <summary>Commands sent inside batch calls so far.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>Retires this coalescer when nothing is in flight and it was last used at or before <paramref name="before"/> (a <see cref="Environment.TickCount64"/>).</summary>
    public bool TryRetire(long before)
    {
        lock (_gate)
        {
            // At or before: Environment.TickCount64 moves in steps of several milliseconds.
            if (_retired || (_inFlight == 0 && _lastUsed <= before))
            {
                _retired = true;
            }

            return _retired;
        }
    }

    /// <summary>
    /// Sends <paramref name="command"/> now or with the next batch; null when this coalescer has just
    /// retired (idle and forgotten), in which case the caller takes a fresh one. A command cancelled while
    /// it waits for a batch is left out of it; one already sent in a batch is only no longer waited for.
    /// </summary>
    public Task<RedisReply>? TryExecute(RedisCommand command, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return null;
            }

            _lastUsed = Environment.TickCount64;
            if (_inFlight >= _maxInFlight)
            {
                var pending = new Pending(command, cancellationToken);
                _waiting.Enqueue(pending);
                return pending.Completion.Task;
            }

            _inFlight++;
        }

        return SendOneAsync(command, cancellationToken);
    }

    private async Task<RedisReply> SendOneAsync(RedisCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await _grain.RedisExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SendWaiting();
        }
    }

    /// <summary>A call returned: its slot carries the waiting commands, or is given back.</summary>
    private void SendWaiting()
    {
        // Runs after every call: nothing is allocated when no command waits.
        Pending[]? batch = null;
        var count = 0;
        lock (_gate)
        {
            while (count < _maxBatch && _waiting.TryDequeue(out var pending))
            {
                // A command cancelled while it waited is never sent.
                if (!pending.Completion.Task.IsCompleted)
                {
                    batch ??= new Pending[Math.Min(_waiting.Count + 1, _maxBatch)];
                    batch[count++] = pending;
                }
            }

            if (count == 0)
            {
                _inFlight--;
            }
        }

        if (batch is not null)
        {
            if (count < batch.Length)
            {
                // Commands behind the first live one were cancelled meanwhile.
                Array.Resize(ref batch, count);
            }

            _ = SendBatchAsync(batch);
        }
    }

    private async Task SendBatchAsync(Pending[] batch)
    {
        try
        {
            if (batch.Length == 1)
            {
                batch[0].Completion.TrySetResult(await _grain.RedisExecuteAsync(batch[0].Command).ConfigureAwait(false));
                return;
            }

            Interlocked.Add(ref _coalesced, batch.Length);
            var results = await _grain.RedisBatchAsync(new RedisBatch([.. batch.Select(p => p.Command)])).ConfigureAwait(false);
            for (var i = 0; i < batch.Length; i++)
            {
                var result = results[i];
                if (result.IsSuccess)
                {
                    batch[i].Completion.TrySetResult(result.Reply!);
                }
                else
                {
                    // The grain names the batch item ("commands[3].args[1]: …"); the caller sent one command.
                    var message = ItemPrefix().Replace(result.ErrorMessage ?? result.ErrorCode!, string.Empty);
                    batch[i].Completion.TrySetException(new ConduitException(result.ErrorCode!, message, result.BackendCode));
                }
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(e);
            }
        }
        finally
        {
            SendWaiting();
        }
    }

    [GeneratedRegex(@"^commands\[\d+\](\.|: )")]
    private static partial Regex ItemPrefix();

    private sealed class Pending
    {
        public Pending(RedisCommand command, CancellationToken cancellationToken)
        {
            Command = command;
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.Register(static (state, token) => ((Pending)state!).Completion.TrySetCanceled(token), this);
                _ = Completion.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        public RedisCommand Command { get; }

        // Callers' continuations must not run inside the loop that completes the batch.
        public TaskCompletionSource<RedisReply> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
