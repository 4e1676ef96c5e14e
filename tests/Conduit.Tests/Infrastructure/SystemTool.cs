using System.Diagnostics;

namespace Conduit.Tests.Infrastructure;

/// <summary>Runs a command-line tool that ./test.sh installs from Debian's packages, with a clear error when it is missing.</summary>
public static class SystemTool
{
    /// <summary>
    /// Runs <paramref name="tool"/> with <paramref name="arguments"/>, writing <paramref name="input"/> (if any) to its stdin;
    /// kills it after <paramref name="timeout"/>. <paramref name="package"/> names the Debian package for the error.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string tool, string package, IEnumerable<string> arguments, string? input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
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
            throw new InvalidOperationException($"{tool} is not installed: run the tests through ./test.sh, which installs Debian's {package} package.", e);
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
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish within {timeout.TotalSeconds:0} s: {await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
