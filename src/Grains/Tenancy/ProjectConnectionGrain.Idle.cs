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

    private async Task AfterDataCallAsync()
    {
        _lastActivity = timeProvider.GetUtcNow();
        if (_reminder is null && _slots.Values.Any(s => s.IsOpen))
        {
            // Only projects with open pools hold a reminder: it brings cleanup back after a silo crash.
            _reminder = await this.RegisterOrUpdateReminder(IdleReminderName, idleOptions.Value.ReminderPeriod, idleOptions.Value.ReminderPeriod);
            _reminderKnownAbsent = false;
        }
    }

    private async Task UnregisterReminderAsync()
    {
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
