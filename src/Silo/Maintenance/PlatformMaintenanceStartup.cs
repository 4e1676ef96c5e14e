using Conduit.Platform;

namespace Conduit.Silo.Maintenance;

/// <summary>
/// When the silo becomes active, asks the singleton <see cref="IPlatformMaintenanceGrain"/> to register its
/// retention reminder (idempotent: every silo asks, the cluster keeps one reminder).
/// </summary>
public sealed partial class PlatformMaintenanceStartup(IGrainFactory grains, ILogger<PlatformMaintenanceStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(PlatformMaintenanceStartup), ServiceLifecycleStage.Active, StartAsync);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IPlatformMaintenanceGrain>(IPlatformMaintenanceGrain.SingletonKey).StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A silo must start even when the platform store is briefly away; the next silo start (or any
            // other silo) registers the reminder, and it survives in the reminder table once registered.
            StartFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not schedule platform retention at silo start ({Failure}); another silo's start or the next restart schedules it")]
    private static partial void StartFailed(ILogger logger, string failure);
}
