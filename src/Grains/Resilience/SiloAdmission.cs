using System.Threading.RateLimiting;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Microsoft.Extensions.Options;

namespace Conduit.Resilience;

/// <summary>
/// One per silo: bounds data operations across every tenant and, once the silo is saturated, hands
/// free slots to waiting operations by tier priority, oldest first within a priority.
/// </summary>
public sealed class SiloAdmission
{
    private readonly Lock _lock = new();
    private readonly Queue<Waiter>[] _queues = [new(), new(), new(), new()];
    private readonly int _capacity;
    private readonly TimeProvider _timeProvider;
    private int _inUse;

    /// <summary>Creates the admission for a silo.</summary>
    public SiloAdmission(IOptions<AdmissionOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.Value.MaxConcurrentOperations;
        _timeProvider = timeProvider;
    }

    /// <summary>Operations admitted and running now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Operations waiting for a slot now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queues.Sum(q => q.Count(w => !w.Completion.Task.IsCompleted));
            }
        }
    }

    /// <summary>Waits for a slot; throws <c>QUEUE_TIMEOUT</c> when none frees up within <paramref name="timeout"/>.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(TierPriority priority, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_inUse < _capacity && NoneWaiting())
            {
                _inUse++;
                return new Lease(this);
            }

            waiter = new Waiter();
            _queues[(int)priority].Enqueue(waiter);
        }

        using var deadline = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        await using (linked.Token.Register(static w => ((Waiter)w!).Completion.TrySetCanceled(), waiter))
        {
            try
            {
                await waiter.Completion.Task.ConfigureAwait(false);
                return new Lease(this);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ConduitException(
                    ErrorCodes.QueueTimeout,
                    $"The silo is running its limit of {_capacity} operations (Conduit:Admission:MaxConcurrentOperations) and no slot freed within {timeout.TotalSeconds:0.###} s for a {priority.ToString().ToLowerInvariant()}-priority tier. Retry later.",
                    retryAfter: TimeSpan.FromSeconds(1),
                    isTransient: true);
            }
        }
    }

    private bool NoneWaiting()
    {
        foreach (var queue in _queues)
        {
            if (queue.Count != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void Release()
    {
        lock (_lock)
        {
            // Hand the slot straight to the highest-priority live waiter; only when none waits does it free up.
            for (var p = _queues.Length - 1; p >= 0; p--)
            {
                while (_queues[p].TryDequeue(out var next))
                {
                    if (next.Completion.TrySetResult())
                    {
                        return;
                    }
                }
            }

            _inUse--;
        }
    }

    private sealed class Waiter
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(SiloAdmission owner) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release();
            }

            base.Dispose(disposing);
        }
    }
}
