using System.Diagnostics;

namespace Conduit.Tests.Observability;

/// <summary>Runs Prometheus' <c>promtool</c> (Debian package <c>prometheus</c>, installed by ./test.sh).</summary>
public static class PromTool
{
    /// <summary>Runs <c>promtool</c> with <paramref name="arguments"/>, <paramref name="input"/> on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("promtool is not installed: run the tests through ./test.sh, which installs Debian's prometheus package.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
    }

    /// <summary>Asserts that <paramref name="exposition"/> passes <c>promtool check metrics</c> (its lint included).</summary>
    public static async Task AssertValidExpositionAsync(string exposition)
    {
        var (exit, output) = await RunAsync(exposition, "check", "metrics");
        Assert.True(exit == 0, $"promtool check metrics failed ({exit}):\n{output}");
    }
}
