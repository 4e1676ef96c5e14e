using Conduit.Errors;
using Conduit.Model;
using Conduit.Options;
using Conduit.Resilience;
using Conduit.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests.Unit;

public sealed class SiloAdmissionTests
{
    private static SiloAdmission Create(int capacity, TimeProvider time) =>
        new(Microsoft.Extensions.Options.Options.Create(new AdmissionOptions { MaxConcurrentOperations = capacity }), time);

    [Fact]
    public async Task Release_WhenSaturated_HigherPriorityWaiterGoesFirst()
    {
        var admission = Create(1, TimeProvider.System);
        var holder = await admission.AcquireAsync(TierPriority.Medium, TimeSpan.FromSeconds(30), CancellationToken.None);
        var order = new List<TierPriority>();
        var low = Task.Run(async () =>
        {
            using var lease = await admission.AcquireAsync(TierPriority.Low, TimeSpan.FromSeconds(30), CancellationToken.None);
            lock (order)
            {
                order.Add(TierPriority.Low);
            }
        });
        await Eventually.TrueAsync(() => Task.FromResult(admission.Waiting == 1), TimeSpan.FromSeconds(5));
        var critical = Task.Run(async () =>
        {
            using var lease = await admission.AcquireAsync(TierPriority.Critical, TimeSpan.FromSeconds(30), CancellationToken.None);
            lock (order)
            {
                order.Add(TierPriority.Critical);
            }
        });
        await Eventually.TrueAsync(() => Task.FromResult(admission.Waiting == 2), TimeSpan.FromSeconds(5));

        holder.Dispose();
        await Task.WhenAll(low, critical);

        Assert.Equal([TierPriority.Critical, TierPriority.Low], order);
        Assert.Equal(0, admission.InUse);
    }

    [Fact]
    public async Task Acquire_NoSlotWithinTimeout_ThrowsQueueTimeoutNamingTheSetting()
    {
        var time = new FakeTimeProvider();
        var admission = Create(1, time);
        using var holder = await admission.AcquireAsync(TierPriority.High, TimeSpan.FromSeconds(1), CancellationToken.None);

        var waiting = admission.AcquireAsync(TierPriority.High, TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<ConduitException>(() => waiting);

        Assert.Equal(ErrorCodes.QueueTimeout, error.Code);
        Assert.Contains("Conduit:Admission:MaxConcurrentOperations", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, admission.Waiting);
    }

    [Fact]
    public async Task Release_AfterTimedOutWaiter_SlotIsNotLost()
    {
        var time = new FakeTimeProvider();
        var admission = Create(1, time);
        var holder = await admission.AcquireAsync(TierPriority.Low, TimeSpan.FromSeconds(1), CancellationToken.None);
        var waiting = admission.AcquireAsync(TierPriority.Low, TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<ConduitException>(() => waiting);

        holder.Dispose();
        using var next = await admission.AcquireAsync(TierPriority.Low, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(1, admission.InUse);
    }
}
