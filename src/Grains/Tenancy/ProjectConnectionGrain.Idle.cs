using Conduit.Diagnostics;

namespace Conduit.Tenancy;

/// <summary>
/// Idle cleanup: a grain timer closes the pools and deactivates the grain after the idle timeout;
/// a reminder exists only while pools are open, so idle projects cost no reminder at all.
/// </summary>
public sealed partial class ProjectConnectionGrain
{
    private const string IdleReminderName = "idle-cleanup";

    private DateTimeOffset? _lastActivity;
    private IGrainReminder? _reminder;
    private bool _reminderKnownAbsent;
    private Task? _reminderRegistration;

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != IdleReminderName)
        {
            return;
        }

        _reminder ??= await this.GetReminder(IdleReminderName);
        await CheckIdleAsync(CancellationToken.None);
    }

    private void StartIdleTimer()
    {
        var interval = idleOptions.Value.CheckInterval < idleOptions.Value.IdleTimeout ? idleOptions.Value.CheckInterval : idleOptions.Value.IdleTimeout;
        this.RegisterGrainTimer(CheckIdleAsync, new GrainTimerCreationOptions
        {
            DueTime = interval,
            Period = interval,
            Interleave = true,
            KeepAlive = false,
        });
    }

    private async Task CheckIdleAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.IsOpen)
            {
                var stats = slot.GetStats();
                events.PoolSampled(_ref, slot.Type, slot.Name, CurrentTier, stats.Pool, stats.Breaker);
            }
        }

        var inFlight = _slots.Values.Sum(s => s.Current?.InFlight ?? 0);
        if (inFlight > 0 || HasRedisSubscriptions)
        {
            return;
        }

        var idleFor = timeProvider.GetUtcNow() - (_lastActivity ?? _activatedAt);
        if (idleFor < idleOptions.Value.IdleTimeout)
        {
            return;
        }

        GrainLog.IdleCleanup(logger, _ref, idleFor.TotalSeconds);
        await ClosePoolsAsync("idle");
        await UnregisterReminderAsync();
        DeactivateOnIdle();
    }

    /// <summary>
    /// Marks the project active and, once pools are open, starts registering the idle reminder. The data
    /// call neither waits for the registration nor fails with it: the reminder service lives on whichever
    /// silo owns the grain's range, and one that hangs or fails must not hold up or undo a query that
    /// already ran. A failed registration is logged and tried again after the next call.
    /// </summary>
    private void AfterDataCall()
    {
        _lastActivity = timeProvider.GetUtcNow();
        if (_reminder is null && (_reminderRegistration is null or { IsCompleted: true }) && _slots.Values.Any(s => s.IsOpen))
        {
            _reminderRegistration = RegisterIdleReminderAsync();
        }
    }

    private async Task RegisterIdleReminderAsync()
    {
        try
        {
            _reminder = await this.RegisterOrUpdateReminder(IdleReminderName, idleOptions.Value.ReminderPeriod, idleOptions.Value.ReminderPeriod);
            _reminderKnownAbsent = false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The type only, as for the retention job: a storage provider's message may name its server.
            GrainLog.ReminderRegistrationFailed(logger, _ref, e.GetType().Name);
        }
    }

    private async Task UnregisterReminderAsync()
    {
        if (_reminderRegistration is { } pending)
        {
            // It never throws; waiting for it keeps a late registration from outliving the unregister.
            await pending;
        }

        if (_reminderKnownAbsent && _reminder is null)
        {
            return;
        }

        var reminder = _reminder ?? await this.GetReminder(IdleReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminder = null;
        _reminderKnownAbsent = true;
    }
}
