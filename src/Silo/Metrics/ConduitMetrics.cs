using System.Collections.Concurrent;
using Conduit.Diagnostics;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Projects;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Conduit.Silo.Metrics;

/// <summary>
/// The product's Prometheus metrics, fed by the tenant grains' data-plane events. Label policy (see
/// docs/OBSERVABILITY.md): histograms carry only <c>database_type</c> and <c>tier</c>; gauges and counters
/// also carry <c>project</c>, for at most <see cref="MetricsOptions.MaxProjectSeries"/> projects per silo,
/// the rest summed under <c>project="_other"</c>; a project's series are removed when its grain deactivates.
/// </summary>
/// <remarks>
/// Operation events only touch cached counter and histogram children (no allocation, no lock). The
/// gauges are rebuilt from the last pool samples just before each scrape.
/// </remarks>
public sealed class ConduitMetrics : IDataPlaneObserver
{
    /// <summary>The <c>project</c> label value of the projects past the cap.</summary>
    public const string OtherProjects = "_other";

    private static readonly string[] TypeNames = [.. DatabaseTypes.All.Select(t => t.ToWireName())];
    private static readonly string[] TierNames = [.. Model.Tiers.All.Select(t => t.ToWireName())];
    private static readonly string[] BreakerNames = ["closed", "open", "half_open", "isolated"];

    private readonly ConcurrentDictionary<string, ProjectSeries> _projects = new(StringComparer.Ordinal);
    private readonly ProjectSeries _other = new(OtherProjects, individual: false);
    private readonly Lock _gate = new();
    private readonly HashSet<Tier> _individualTiers;
    private readonly int _maxIndividual;
    private int _individual;

    private readonly Counter _queries;
    private readonly Counter _errors;
    private readonly Histogram.Child?[] _queryDuration = new Histogram.Child?[ProjectSeries.Slots];
    private readonly Histogram.Child?[] _acquireDuration = new Histogram.Child?[ProjectSeries.Slots];
    private readonly Histogram _queryDurationFamily;
    private readonly Histogram _acquireDurationFamily;
    private readonly GaugePublisher _activeConnections;
    private readonly GaugePublisher _poolSize;
    private readonly GaugePublisher _poolMax;
    private readonly GaugePublisher _breakerState;
    private readonly GaugePublisher _breakers;
    private readonly GaugePublisher _projectsGauge;

    /// <summary>Creates the metric families in <paramref name="registry"/>.</summary>
    public ConduitMetrics(CollectorRegistry registry, IOptions<MetricsOptions> options, IOptions<TierOptions> tiers)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tiers);
        Registry = registry;
        _maxIndividual = options.Value.MaxProjectSeries;
        _individualTiers = MetricsOptionsValidator.ParseTiers(options.Value.ProjectSeriesTiers);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);

        _activeConnections = new GaugePublisher(factory.CreateGauge(
            "db_active_connections",
            "Connections Conduit holds open to tenant databases (in use + idle), from the grains' last pool samples.",
            ["project", "database_type", "tier"]));
        _poolSize = new GaugePublisher(factory.CreateGauge(
            "db_pool_size",
            "Tenant pool figures: active (lent out), idle (open, waiting in the pool), waiting (operations queued for a permit).",
            ["project", "database_type", "tier", "status"]));
        _poolMax = new GaugePublisher(factory.CreateGauge(
            "db_pool_max_connections",
            "The tier's maximum pool size of open tenant pools (saturation = db_pool_size{status=\"active\"} / this).",
            ["project", "database_type", "tier"]));
        _breakerState = new GaugePublisher(factory.CreateGauge(
            "circuit_breaker_state",
            "Circuit breaker of one tenant database: 0 closed, 1 open, 2 half-open, 3 isolated by an operator.",
            ["project", "database_type", "database", "tier"]));
        _breakers = new GaugePublisher(factory.CreateGauge(
            "conduit_circuit_breakers",
            "Tenant circuit breakers on this silo by state (all projects, also those past the per-project cap).",
            ["database_type", "tier", "state"]));
        _projectsGauge = new GaugePublisher(factory.CreateGauge(
            "conduit_metrics_projects",
            "Active projects on this silo with series of their own (series=\"own\") or summed under project=\"_other\" (series=\"other\").",
            ["series"]));
        _queries = factory.CreateCounter(
            "db_queries_total",
            "Operations completed against tenant databases, successful or not.",
            ["project", "database_type", "tier"]);
        _errors = factory.CreateCounter(
            "db_errors_total",
            "Operations that failed, by Conduit error code (CIRCUIT_OPEN, QUEUE_TIMEOUT, QUERY_TIMEOUT, BACKEND_UNAVAILABLE, BACKEND_ERROR, ...).",
            ["project", "database_type", "tier", "code"]);
        _queryDurationFamily = factory.CreateHistogram(
            "db_query_duration_seconds",
            "Time of operations that reached the database (rejections without a database call are not observed).",
            new HistogramConfiguration { LabelNames = ["database_type", "tier"], Buckets = LatencyBuckets.ForQueries(tiers.Value) });
        _acquireDurationFamily = factory.CreateHistogram(
            "db_connection_acquire_duration_seconds",
            "Time an operation waited for its permits (rate limit, tier concurrency, silo admission) before it got a connection.",
            new HistogramConfiguration { LabelNames = ["database_type", "tier"], Buckets = LatencyBuckets.ForAcquire(tiers.Value) });

        registry.AddBeforeCollectCallback(PublishGauges);
    }

    /// <summary>The registry that <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Projects on this silo with metric state now (own series or summed).</summary>
    public int TrackedProjects => _projects.Count;

    /// <inheritdoc />
    public void OperationCompleted(string projectRef, DatabaseType type, Tier tier, TimeSpan elapsed, string? errorCode)
    {
        var slot = ProjectSeries.SlotOf(type, tier);
        if (slot < 0)
        {
            return;
        }

        var series = Track(projectRef, tier);
        var counters = series.Individual ? series : _other;
        (counters.Queries[slot] ??= _queries.WithLabels(counters.Label, TypeNames[(int)type], TierNames[(int)tier])).Inc();
        if (errorCode is not null)
        {
            counters.Errors.GetOrAdd((slot, errorCode), static (key, state) =>
                state.Metrics._errors.WithLabels(state.Label, TypeNames[key.Slot / 4], TierNames[key.Slot % 4], key.Code), (Metrics: this, counters.Label)).Inc();
        }

        if (errorCode is not (ErrorCodes.CircuitOpen or ErrorCodes.QueueTimeout or ErrorCodes.RateLimited))
        {
            (_queryDuration[slot] ??= _queryDurationFamily.WithLabels(TypeNames[(int)type], TierNames[(int)tier])).Observe(elapsed.TotalSeconds);
        }
    }

    /// <inheritdoc />
    public void PermitAcquired(string projectRef, DatabaseType type, Tier tier, TimeSpan waited)
    {
        var slot = ProjectSeries.SlotOf(type, tier);
        if (slot >= 0)
        {
            (_acquireDuration[slot] ??= _acquireDurationFamily.WithLabels(TypeNames[(int)type], TierNames[(int)tier])).Observe(waited.TotalSeconds);
        }
    }

    /// <inheritdoc />
    public void BreakerChanged(string projectRef, DatabaseType type, string database, Tier tier, BreakerState state, string? cause) =>
        UpdatePool(Track(projectRef, tier), type, database, tier, pool => pool.Breaker = state);

    /// <inheritdoc />
    public void PoolOpened(string projectRef, DatabaseType type, string database, Tier tier) =>
        UpdatePool(Track(projectRef, tier), type, database, tier, pool => pool.Open = true);

    /// <inheritdoc />
    public void PoolClosed(string projectRef, DatabaseType type, string database, string reason)
    {
        if (!_projects.TryGetValue(projectRef, out var series))
        {
            return;
        }

        lock (series)
        {
            if (series.Pools.TryGetValue((type, database), out var pool))
            {
                pool.Open = false;
                pool.Active = pool.Idle = pool.Waiting = 0;
            }
        }
    }

    /// <inheritdoc />
    public void PoolSampled(string projectRef, DatabaseType type, string database, Tier tier, PoolStats pool, BreakerState breaker)
    {
        ArgumentNullException.ThrowIfNull(pool);
        UpdatePool(Track(projectRef, tier), type, database, tier, state =>
        {
            state.Open = true;
            state.Active = pool.Active;
            state.Idle = pool.Idle;
            state.Waiting = pool.Waiting;
            state.MaxSize = pool.MaxSize;
            state.Breaker = breaker;
        });
    }

    /// <inheritdoc />
    public void HealthChecked(string projectRef, DatabaseHealth health)
    {
    }

    /// <inheritdoc />
    public void ProjectDeactivated(string projectRef)
    {
        ProjectSeries? series;
        lock (_gate)
        {
            if (!_projects.TryRemove(projectRef, out series))
            {
                return;
            }

            if (series.Individual)
            {
                _individual--;
            }
        }

        if (!series.Individual)
        {
            // Its operations stay counted in the shared _other counters; its pools leave the gauges at the next scrape.
            return;
        }

        for (var slot = 0; slot < ProjectSeries.Slots; slot++)
        {
            if (series.Queries[slot] is not null)
            {
                _queries.RemoveLabelled(series.Label, TypeNames[slot / 4], TierNames[slot % 4]);
            }
        }

        foreach (var (slot, code) in series.Errors.Keys)
        {
            _errors.RemoveLabelled(series.Label, TypeNames[slot / 4], TierNames[slot % 4], code);
        }
    }

    private ProjectSeries Track(string projectRef, Tier tier)
    {
        if (_projects.TryGetValue(projectRef, out var series))
        {
            return series;
        }

        lock (_gate)
        {
            if (_projects.TryGetValue(projectRef, out series))
            {
                return series;
            }

            var individual = _individual < _maxIndividual && _individualTiers.Contains(tier);
            if (individual)
            {
                _individual++;
            }

            series = new ProjectSeries(projectRef, individual);
            _projects[projectRef] = series;
            return series;
        }
    }

    private static void UpdatePool(ProjectSeries series, DatabaseType type, string database, Tier tier, Action<PoolState> update)
    {
        if (ProjectSeries.SlotOf(type, tier) < 0)
        {
            return;
        }

        lock (series)
        {
            if (!series.Pools.TryGetValue((type, database), out var pool))
            {
                pool = new PoolState(tier);
                series.Pools[(type, database)] = pool;
            }

            pool.Tier = tier;
            update(pool);
        }
    }

    private void PublishGauges()
    {
        lock (_gate)
        {
            var own = 0;
            foreach (var series in _projects.Values)
            {
                own += series.Individual ? 1 : 0;
                lock (series)
                {
                    foreach (var ((type, name), pool) in series.Pools)
                    {
                        AddPool(series, type, name, pool);
                    }
                }
            }

            _projectsGauge.Add(own, "own");
            _projectsGauge.Add(_projects.Count - own, "other");
            _activeConnections.Publish();
            _poolSize.Publish();
            _poolMax.Publish();
            _breakerState.Publish();
            _breakers.Publish();
            _projectsGauge.Publish();
        }
    }

    private void AddPool(ProjectSeries series, DatabaseType type, string name, PoolState pool)
    {
        var typeName = TypeNames[(int)type];
        var tierName = TierNames[(int)pool.Tier];
        if (series.Individual || pool.Open)
        {
            _activeConnections.Add(pool.Open ? pool.Active + pool.Idle : 0, series.Label, typeName, tierName);
            _poolSize.Add(pool.Active, series.Label, typeName, tierName, "active");
            _poolSize.Add(pool.Idle, series.Label, typeName, tierName, "idle");
            _poolSize.Add(pool.Waiting, series.Label, typeName, tierName, "waiting");
            _poolMax.Add(pool.Open ? pool.MaxSize : 0, series.Label, typeName, tierName);
        }

        // A breaker that is not closed always shows its own project: an operator needs to know which one.
        if (series.Individual || pool.Breaker != BreakerState.Closed)
        {
            _breakerState.Add((int)pool.Breaker, series.Ref, typeName, name, tierName);
        }

        if ((uint)pool.Breaker < (uint)BreakerNames.Length)
        {
            _breakers.Add(1, typeName, tierName, BreakerNames[(int)pool.Breaker]);
        }
    }
}
