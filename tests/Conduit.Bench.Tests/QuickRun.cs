using System.Diagnostics;
using System.Reflection;

namespace Conduit.Bench.Tests;

/// <summary>
/// Runs every benchmark scenario once with <c>--quick</c>, in one child process of the benchmark
/// (built in this test run's configuration), into a temporary folder; shared by the tests of the class.
/// </summary>
public sealed class QuickRun : IAsyncLifetime
{
    public string OutputDirectory { get; } = Directory.CreateTempSubdirectory("conduit-bench-quick.").FullName;

    public int ExitCode { get; private set; }

    public string Log { get; private set; } = string.Empty;

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        var configuration = typeof(QuickRun).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var bench = Path.Combine(RepositoryRoot(), "bench", "Conduit.Bench", "bin", configuration, "net10.0", "Conduit.Bench.dll");
        if (!File.Exists(bench))
        {
            throw new InvalidOperationException($"The benchmark is not built at {bench}.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { bench, "all", "--quick", "--out", OutputDirectory })
        {
            info.ArgumentList.Add(argument);
        }

        // Plain output: no live progress rendering into the captured log.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TERM"] = "dumb";
        var started = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Elapsed = started.Elapsed;
        ExitCode = process.ExitCode;
        Log = await stdout + await stderr;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(OutputDirectory, recursive: true);
        return Task.CompletedTask;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Orleans.sln) above the test binaries.");
    }
}
