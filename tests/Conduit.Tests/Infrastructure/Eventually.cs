namespace Conduit.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a generous deadline passes (a bound on waiting, not a timing assertion).</summary>
public static class Eventually
{
    /// <param name="details">What to add to the failure message when the condition never held (read once, at the deadline).</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string? because = null, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition did not hold within {within.TotalSeconds:0} s{(because is null ? string.Empty : ": " + because)}{(details is null ? string.Empty : "\n" + details())}");
            }

            await Task.Delay(100);
        }
    }
}
