using System.Collections.Concurrent;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Conduit.Tests.Tenancy;

/// <summary>
/// The idle-cleanup reminder is registered beside data calls, never in their way: the reminder service
/// lives on whichever silo owns the grain's range, and one that hangs or fails must not hold up a query
/// or turn one that ran into an error.
/// </summary>
public sealed class IdleReminderTests
{
    [Fact]
    public async Task ReminderTableThatNeverAnswers_DataCallsStillReturn()
    {
        var table = new ControlledReminderTable { Mode = ReminderTableMode.Hang };
        await using var silo = await StartAsync(table);
        try
        {
            var grain = await CreateProjectAsync(silo);

            // Without the fix this call waits for the registration, i.e. until Orleans' response timeout.
            var result = await grain.PostgresQueryAsync(new PgCommand("select 41 + 1 as answer")).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(42, Convert.ToInt32(result.Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture));
            await Eventually.TrueAsync(() => Task.FromResult(table.UpsertAttempts >= 1), TimeSpan.FromSeconds(10), "the registration should have been started");

            // While it is still pending, more calls neither wait for it nor start a second one.
            for (var i = 0; i < 5; i++)
            {
                await grain.PostgresQueryAsync(new PgCommand("select 1")).WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.Equal(1, table.UpsertAttempts);
        }
        finally
        {
            table.Release();
        }
    }

    [Fact]
    public async Task ReminderTableThatFails_DataCallsSucceed_AndTheNextCallTriesAgain()
    {
        var table = new ControlledReminderTable { Mode = ReminderTableMode.Fail };
        await using var silo = await StartAsync(table);
        var grain = await CreateProjectAsync(silo);

        await QueryOnceAsync(grain);
        await Eventually.TrueAsync(() => Task.FromResult(FailuresLogged(silo) == 1), TimeSpan.FromSeconds(10), "the failed registration should be logged");
        Assert.Equal(1, table.UpsertAttempts);

        await QueryOnceAsync(grain);
        await Eventually.TrueAsync(() => Task.FromResult(FailuresLogged(silo) == 2), TimeSpan.FromSeconds(10), "the next call should try again");
        Assert.Equal(2, table.UpsertAttempts);

        table.Mode = ReminderTableMode.Store;
        await QueryOnceAsync(grain);
        await Eventually.TrueAsync(() => Task.FromResult(table.Stored == 1), TimeSpan.FromSeconds(10), "the registration should land once the table answers");

        // Registered: later calls leave the table alone.
        await QueryOnceAsync(grain);
        await Task.Delay(200);
        Assert.Equal(3, table.UpsertAttempts);
    }

    private static int FailuresLogged(ConduitSilo silo) =>
        silo.Logs.Lines.Count(l => l.Contains("idle-cleanup reminder could not be registered", StringComparison.Ordinal));

    /// <summary>One successful PostgreSQL call, checked.</summary>
    private static async Task QueryOnceAsync(IProjectConnectionGrain grain)
    {
        var result = await grain.PostgresQueryAsync(new PgCommand("select 1")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(result.Rows);
    }

    private static Task<ConduitSilo> StartAsync(ControlledReminderTable table) =>
        ConduitSilo.StartAsync(replace: services => services.AddSingleton<IReminderTable>(table));

    private static async Task<IProjectConnectionGrain> CreateProjectAsync(ConduitSilo silo)
    {
        var projectRef = SiloApi.NewRef("rem");
        await silo.CreateProjectWithPostgresAsync(projectRef, "FREE");
        return silo.Grains.GetGrain<IProjectConnectionGrain>(projectRef);
    }

    private enum ReminderTableMode
    {
        Store,
        Fail,
        Hang,
    }

    /// <summary>An in-memory reminder table whose writes can be made to fail or to never answer.</summary>
    private sealed class ControlledReminderTable : IReminderTable
    {
        private readonly ConcurrentDictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _upsertAttempts;

        public ReminderTableMode Mode { get; set; }

        public int UpsertAttempts => Volatile.Read(ref _upsertAttempts);

        public int Stored => _rows.Count;

        /// <summary>Lets writes held by <see cref="ReminderTableMode.Hang"/> fail, so the silo can stop.</summary>
        public void Release() => _released.TrySetResult();

        public Task<ReminderTableData> ReadRows(GrainId grainId) =>
            Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId == grainId).ToList()));

        public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
            Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).ToList()));

        public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
            Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));

        public async Task<string?> UpsertRow(ReminderEntry entry)
        {
            Interlocked.Increment(ref _upsertAttempts);
            switch (Mode)
            {
                case ReminderTableMode.Fail:
                    throw new InvalidOperationException("The test's reminder table refuses writes.");
                case ReminderTableMode.Hang:
                    await _released.Task;
                    throw new InvalidOperationException("The test's reminder table was released without answering.");
                default:
                    entry.ETag = Guid.NewGuid().ToString("N");
                    _rows[(entry.GrainId, entry.ReminderName)] = entry;
                    return entry.ETag;
            }
        }

        public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
            Task.FromResult(_rows.TryRemove((grainId, reminderName), out _));

        public Task TestOnlyClearTable()
        {
            _rows.Clear();
            return Task.CompletedTask;
        }

        // Orleans' ring ranges wrap around: (begin, end], or everything outside (end, begin] when begin >= end.
        private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
    }
}
