using System.Globalization;
using System.Runtime.InteropServices;
using Conduit.Bench.Infrastructure;

namespace Conduit.Bench.Reporting;

/// <summary>Where and when a benchmark ran, recorded with every result.</summary>
internal sealed record RunInfo(
    DateTimeOffset Date,
    string Commit,
    bool WorkingTreeDirty,
    string Command,
    bool Quick,
    int Cores,
    long MemoryBytes,
    string Processor,
    string OperatingSystem,
    string Runtime,
    string Configuration)
{
    /// <summary>Collects the facts of this machine and checkout.</summary>
    public static async Task<RunInfo> CollectAsync(IReadOnlyList<string> arguments, bool quick)
    {
        var commit = (await GitAsync("rev-parse", "--short=12", "HEAD").ConfigureAwait(false)) ?? "unknown";
        var status = await GitAsync("status", "--porcelain", "--untracked-files=no").ConfigureAwait(false);
        var command = $"dotnet run -c {BuildInfo.Configuration} --project bench/Conduit.Bench -- {string.Join(' ', arguments.Select(Quote))}".TrimEnd();
        return new RunInfo(
            DateTimeOffset.UtcNow,
            commit,
            !string.IsNullOrWhiteSpace(status),
            command,
            quick,
            Environment.ProcessorCount,
            MemoryTotal(),
            ProcessorName(),
            OperatingSystemName(),
            RuntimeInformation.FrameworkDescription,
            BuildInfo.Configuration);
    }

    /// <summary>One line describing the machine.</summary>
    public string MachineLine =>
        string.Create(CultureInfo.InvariantCulture, $"{Cores} cores ({Processor}), {MemoryBytes / 1024.0 / 1024 / 1024:0.0} GiB memory, {OperatingSystem}, {Runtime}");

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument;

    private static async Task<string?> GitAsync(params string[] arguments)
    {
        try
        {
            var (code, output) = await ChildProcess.RunAsync("git", ["-C", BuildInfo.RepositoryRoot, .. arguments], timeout: TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return code == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static long MemoryTotal()
    {
        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static string ProcessorName()
    {
        if (File.Exists("/proc/cpuinfo"))
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string OperatingSystemName()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        return pretty is null ? RuntimeInformation.OSDescription : $"{pretty} ({RuntimeInformation.OSDescription})";
    }
}
