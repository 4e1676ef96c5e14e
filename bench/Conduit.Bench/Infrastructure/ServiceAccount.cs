namespace Conduit.Bench.Infrastructure;

/// <summary>
/// PostgreSQL and PgBouncer refuse to run as root: when the benchmark is root they run as the
/// <c>postgres</c> account that Debian's package creates; otherwise as the current user.
/// </summary>
internal static class ServiceAccount
{
    /// <summary>True when this process runs as root.</summary>
    public static bool IsRoot { get; } = Environment.UserName == "root";

    /// <summary>The account the database servers run as.</summary>
    public static string Name => IsRoot ? "postgres" : Environment.UserName;

    /// <summary>The program and arguments that run <paramref name="program"/> as <see cref="Name"/>.</summary>
    public static (string FileName, string[] Arguments) Wrap(string program, params string[] arguments) =>
        IsRoot
            ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. arguments])
            : (program, arguments);

    /// <summary>Hands <paramref name="paths"/> to the service account (root only).</summary>
    public static async Task GiveAsync(params string[] paths)
    {
        if (!IsRoot)
        {
            return;
        }

        var (code, output) = await ChildProcess.RunAsync("chown", ["-R", "postgres", .. paths]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"chown to postgres failed: {output.Trim()}");
        }
    }

    /// <summary>Runs a program as the service account to completion; throws with its output when it fails.</summary>
    public static async Task RunAsync(string program, params string[] arguments)
    {
        var (file, args) = Wrap(program, arguments);
        var (code, output) = await ChildProcess.RunAsync(file, args).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed with exit code {code}: {output.Trim()}");
        }
    }
}
