using Conduit.Connectors;
using Conduit.Connectors.Mongo;
using Conduit.Connectors.Postgres;
using Conduit.Connectors.Redis;
using Conduit.Diagnostics;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Registry;
using Conduit.Resilience;
using Conduit.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Conduit.Tenancy;

/// <summary>
/// The only owner of one tenant project's pools, breakers, tier limits and idle cleanup in the
/// whole cluster. Reentrant: the tier's concurrency gate, not grain turns, bounds parallel calls.
/// </summary>
/// <remarks>Pools are built on first use and disposed when idle, on tier change and on deactivation.</remarks>
[Reentrant]
public sealed partial class ProjectConnectionGrain(
    IProjectRegistry registry,
    SecretProtector secrets,
    IOptions<TierOptions> tierOptions,
    IOptions<CircuitBreakerOptions> breakerOptions,
    IOptions<IdleCleanupOptions> idleOptions,
    IOptions<DataPlaneOptions> dataPlaneOptions,
    TimeProvider timeProvider,
    SiloAdmission admission,
    DataPlaneEvents events,
    ILogger<ProjectConnectionGrain> logger) : Grain, IProjectConnectionGrain, IRemindable
{
    private readonly Dictionary<(DatabaseType Type, string Name), DatabaseSlot> _slots = [];
    private ProjectRecord? _project;
    private string _ref = string.Empty;
    private DateTimeOffset _activatedAt;

    private Tier CurrentTier => _project?.Tier ?? Tier.Free;

    private TierLimits CurrentLimits => tierOptions.Value.For(CurrentTier);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ref = this.GetPrimaryKeyString();
        _activatedAt = timeProvider.GetUtcNow();
        await LoadAsync(cancellationToken);
        StartIdleTimer();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await ClosePoolsAsync($"deactivation: {reason.ReasonCode}");
        events.ProjectDeactivated(_ref);
    }

    /// <inheritdoc />
    public async Task ReloadAsync()
    {
        var previous = _project;
        await LoadAsync(CancellationToken.None);
        if (previous is not null && _project is not null && previous.Tier != _project.Tier)
        {
            GrainLog.TierChanged(logger, _ref, previous.Tier.ToWireName(), _project.Tier.ToWireName());
            foreach (var slot in _slots.Values)
            {
                // Calls in flight finish on the old pool; the next call opens one sized for the new tier.
                if (slot.Detach() is { } old)
                {
                    if (old.Connector is not null)
                    {
                        events.PoolClosed(_ref, slot.Type, slot.Name, "tier change");
                    }

                    _ = old.RetireAsync(DatabaseSlot.DrainTimeout(old.Limits));
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<ProjectStats> GetStatsAsync()
    {
        RequireProject();
        var databases = _slots.Values.Select(s => s.GetStats()).ToList();
        return Task.FromResult(new ProjectStats(_ref, CurrentTier, _lastActivity, databases, SiloName));
    }

    /// <inheritdoc />
    public async Task<ProjectHealth> CheckHealthAsync()
    {
        RequireProject();
        var results = new List<DatabaseHealth>();
        foreach (var slot in _slots.Values)
        {
            var started = timeProvider.GetTimestamp();
            try
            {
                await slot.ExecuteAsync(CurrentTier, CurrentLimits, static async (connector, ct) =>
                {
                    await connector.PingAsync(ct);
                    return true;
                });
                var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
                var status = slot.Breaker.State == BreakerState.Closed ? HealthStatus.Healthy : HealthStatus.Degraded;
                results.Add(new DatabaseHealth(slot.Type, slot.Name, status, elapsed, null, null));
            }
            catch (ConduitException e)
            {
                results.Add(new DatabaseHealth(slot.Type, slot.Name, HealthStatus.Unhealthy, null, e.Code, e.Message));
            }

            events.HealthChecked(_ref, results[^1]);
        }

        AfterDataCall();
        return new ProjectHealth(_ref, results);
    }

    /// <inheritdoc />
    public async Task CloseConnectionsAsync()
    {
        RequireProject();
        await ClosePoolsAsync("closed by request");
        await UnregisterReminderAsync();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _project = await registry.GetProjectAsync(_ref, cancellationToken);
        if (_project is null)
        {
            return;
        }

        var databases = await registry.GetDatabasesAsync(_ref, cancellationToken);
        foreach (var database in databases)
        {
            var key = (database.Type, database.Name);
            if (!_slots.ContainsKey(key))
            {
                _slots[key] = new DatabaseSlot(_ref, events, database, breakerOptions.Value.For(database.Type), timeProvider, OnBreakerTransition, admission, ConnectAsync, (slot, e) => GrainLog.UnexpectedFailure(logger, e, _ref, slot.Type.ToWireName()));
            }
        }
    }

    private ProjectRecord RequireProject()
    {
        if (_project is null)
        {
            // Nothing to own: let the activation go rather than keep an empty grain around.
            DeactivateOnIdle();
            throw new ConduitException(ErrorCodes.ProjectNotFound, $"Project '{_ref}' is not registered.");
        }

        return _project;
    }

    private DatabaseSlot RequireSlot(DatabaseType type, string? name)
    {
        RequireProject();
        name ??= DatabaseRecord.DefaultName;
        return _slots.TryGetValue((type, name), out var slot)
            ? slot
            : throw new ConduitException(ErrorCodes.DatabaseNotRegistered, $"Project '{_ref}' has no {type.ToWireName()} database named '{name}'. Register one with POST /api/platform/projects/{_ref}/databases.");
    }

    private async Task<IDatabaseConnector> ConnectAsync(DatabaseSlot slot, Tier tier, TierLimits limits)
    {
        string connectionString;
        try
        {
            connectionString = secrets.Unprotect(slot.Record.EncryptedConnectionString, slot.Record.AssociatedData);
        }
        catch (ConduitException e)
        {
            GrainLog.SecretUnreadable(logger, _ref, slot.Type.ToWireName(), slot.Name, e.Message);
            throw;
        }

        var poolName = $"{_ref}/{slot.Type.ToWireName()}/{slot.Name}/{Guid.NewGuid():N}";
        IDatabaseConnector connector = slot.Type switch
        {
            DatabaseType.PostgreSql => new PostgresConnector(connectionString, poolName, limits, dataPlaneOptions.Value, idleOptions.Value.IdleTimeout),
            DatabaseType.Redis => await RedisConnector.ConnectAsync(connectionString, $"conduit:{_ref}", limits, dataPlaneOptions.Value),
            DatabaseType.MongoDb => new MongoConnector(connectionString, $"conduit:{_ref}", limits, dataPlaneOptions.Value, idleOptions.Value.IdleTimeout),
            _ => throw new ConduitException(ErrorCodes.DatabaseNotRegistered, $"{slot.Type.ToWireName()} databases are not served by this silo version."),
        };
        GrainLog.PoolOpened(logger, _ref, slot.Type.ToWireName(), slot.Name, tier.ToWireName(), slot.Record.Target);
        events.PoolOpened(_ref, slot.Type, slot.Name, tier);
        return connector;
    }

    private void OnBreakerTransition(DatabaseSlot slot, BreakerState state, Exception? cause)
    {
        var code = cause switch
        {
            null => null,
            ConduitException c => c.Code,
            Polly.Timeout.TimeoutRejectedException => ErrorCodes.QueryTimeout,
            _ => cause.GetType().Name,
        };
        GrainLog.BreakerTransition(logger, _ref, slot.Type.ToWireName(), state.ToString(), code ?? "no failure");
        events.BreakerChanged(_ref, slot.Type, slot.Name, CurrentTier, state, code);
        if (state is BreakerState.Open && slot.Current?.Connector is { } connector)
        {
            // Connections that died with the server must not be handed out after it recovers.
            connector.ClearPool();
        }
    }

    private async Task ClosePoolsAsync(string reason)
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Detach() is { } old)
            {
                var wasOpen = old.Connector is not null;
                await old.RetireAsync(DatabaseSlot.DrainTimeout(old.Limits));
                if (wasOpen)
                {
                    GrainLog.PoolClosed(logger, _ref, slot.Type.ToWireName(), slot.Name, reason);
                    events.PoolClosed(_ref, slot.Type, slot.Name, reason);
                }
            }
        }
    }

    private string SiloName => ServiceProvider.GetService(typeof(ILocalSiloDetails)) is ILocalSiloDetails silo ? silo.SiloAddress.ToString() : "unknown";
}
