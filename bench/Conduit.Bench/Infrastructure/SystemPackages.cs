namespace Conduit.Bench.Infrastructure;

/// <summary>Installs a Debian package when the program the benchmark needs is missing (as root, or through sudo).</summary>
internal static class SystemPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _updated;

    /// <summary>Makes sure <paramref name="program"/> exists, installing <paramref name="package"/> with apt-get when it does not.</summary>
    public static async Task EnsureAsync(string program, string package)
    {
        if (Exists(program))
        {
            return;
        }

        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Exists(program))
            {
                return;
            }

            BenchConsole.Info($"installing {package} from Debian's packages (needed for {Path.GetFileName(program)})");
            if (!_updated)
            {
                await AptAsync(["update", "-qq"]).ConfigureAwait(false);
                _updated = true;
            }

            await AptAsync(["install", "-y", "-qq", "--no-install-recommends", package]).ConfigureAwait(false);
            if (!Exists(program))
            {
                throw new InvalidOperationException($"Installing {package} did not provide {program}. Install it by hand (apt-get install {package}) and run again.");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>True when <paramref name="program"/> is an existing path or found on PATH.</summary>
    public static bool Exists(string program) =>
        program.Contains('/', StringComparison.Ordinal)
            ? File.Exists(program)
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    private static async Task AptAsync(string[] arguments)
    {
        var root = Environment.UserName == "root";
        var (code, output) = await ChildProcess.RunAsync(
            root ? "apt-get" : "sudo",
            root ? arguments : ["-n", "apt-get", .. arguments],
            new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" }).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"apt-get {string.Join(' ', arguments)} failed with exit code {code}: {output.Trim()}");
        }
    }
}
