using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Observability;

/// <summary>Runs Prometheus' <c>promtool</c> (Debian package <c>prometheus</c>, installed by ./test.sh).</summary>
public static class PromTool
{
    /// <summary>Runs <c>promtool</c> with <paramref name="arguments"/>, <paramref name="input"/> on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var (exit, output, errors) = await SystemTool.RunAsync("promtool", "prometheus", arguments, input, TimeSpan.FromSeconds(60));
        return (exit, output + errors);
    }

    /// <summary>Asserts that <paramref name="exposition"/> passes <c>promtool check metrics</c> (its lint included).</summary>
    public static async Task AssertValidExpositionAsync(string exposition)
    {
        var (exit, output) = await RunAsync(exposition, "check", "metrics");
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}");
    }
}
