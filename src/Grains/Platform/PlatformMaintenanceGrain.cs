using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conduit.Platform;

/// <summary>
/// Holds the cluster's retention reminder (see <see cref="IPlatformMaintenanceGrain"/>). Orleans keeps one
/// activation of the key <c>singleton</c> in the cluster and the reminder service one row for it, so the
/// retention runs once per period however many silos there are.
/// </summary>
public sealed partial class PlatformMaintenanceGrain(IOptions<RetentionOptions> options, ILogger<PlatformMaintenanceGrain> logger)
    : Grain, IPlatformMaintenanceGrain, IRemindable
{
    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "platform-retention";

    private RetentionRun? _lastRun;

    private PlatformRetention? Retention => ServiceProvider.GetService<PlatformRetention>();

    /// <inheritdoc />
    public async Task StartAsync()
    {
        if (Retention is null)
        {
            // The in-memory store keeps no history: nothing to prune, so no reminder either.
            return;
        }

        // Register-or-update keeps one row per name: a silo starting with a changed period updates it.
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.DueTime, options.Value.Period);
        ReminderRegistered(logger, options.Value.Period.TotalMinutes, options.Value.MetricsRetention.TotalDays, options.Value.LogsRetention.TotalDays);
    }

    /// <inheritdoc />
    public async Task<RetentionRun> RunRetentionAsync()
    {
        var retention = Retention ?? throw new Errors.ConduitException(Errors.ErrorCodes.PlatformUnavailable, "Retention needs the PostgreSQL platform store: set DATABASE_URL.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        _lastRun = await retention.RunAsync(timeout.Token);
        RetentionRan(logger, _lastRun.MetricsDeleted, _lastRun.LogsDeleted);
        return _lastRun;
    }

    /// <inheritdoc />
    public Task<RetentionRun?> GetLastRunAsync() => Task.FromResult(_lastRun);

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        try
        {
            await RunRetentionAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or Errors.ConduitException)
        {
            // The next tick tries again; the data path never depends on this job.
            RetentionFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Platform retention scheduled every {PeriodMinutes:0.#} min: metrics kept {MetricsDays:0.#} days, connection events {LogsDays:0.#} days")]
    private static partial void ReminderRegistered(ILogger logger, double periodMinutes, double metricsDays, double logsDays);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Platform retention deleted {Metrics} metric samples and {Logs} connection events")]
    private static partial void RetentionRan(ILogger logger, long metrics, long logs);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Platform retention failed ({Failure}); it runs again at the next reminder tick. Check that DATABASE_URL's server is reachable.")]
    private static partial void RetentionFailed(ILogger logger, string failure);
}
