using System.Globalization;
using System.Text.RegularExpressions;

namespace Conduit.Bench.Infrastructure;

/// <summary>
/// The silo's live managed heap, measured exactly with <c>dotnet-gcdump</c> (which forces a full GC and
/// walks the heap); installed from NuGet as a .NET tool into a private folder when missing.
/// </summary>
internal static partial class SiloMemory
{
    private const string ToolVersion = "10.0.750501";
    private static readonly string ToolDirectory = Path.Combine(Path.GetTempPath(), "conduit-bench-tools");
    private static readonly string Tool = Path.Combine(ToolDirectory, "dotnet-gcdump");

    /// <summary>Live heap bytes and objects of process <paramref name="processId"/>, and its largest types.</summary>
    public static async Task<HeapSnapshot> SnapshotAsync(int processId, string workDirectory)
    {
        await EnsureToolAsync().ConfigureAwait(false);
        var file = Path.Combine(workDirectory, $"silo-{processId}-{DateTime.UtcNow:HHmmssfff}.gcdump");
        var (code, output) = await ChildProcess.RunAsync(Tool, ["collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file], timeout: TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        if (code != 0 || !File.Exists(file))
        {
            throw new InvalidOperationException($"dotnet-gcdump collect failed ({code}): {output.Trim()}");
        }

        (code, output) = await ChildProcess.RunAsync(Tool, ["report", file], timeout: TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        File.Delete(file);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump report failed ({code}): {output.Trim()}");
        }

        long bytes = 0, objects = 0;
        var types = new List<(long Bytes, long Count, string Type)>();
        foreach (var line in output.Split('\n'))
        {
            if (HeapLine().Match(line) is { Success: true } heap)
            {
                var value = long.Parse(heap.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                if (heap.Groups[2].Value == "bytes")
                {
                    bytes = value;
                }
                else
                {
                    objects = value;
                }
            }
            else if (TypeLine().Match(line) is { Success: true } type)
            {
                // The report gives each type's object size (the average) and how many there are.
                var size = long.Parse(type.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                var count = long.Parse(type.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                types.Add((size * count, count, SizeNote().Replace(type.Groups[3].Value, string.Empty).Trim()));
            }
        }

        if (bytes == 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump report printed no heap size: {output[..Math.Min(500, output.Length)]}");
        }

        return new HeapSnapshot(bytes, objects, types);
    }

    private static async Task EnsureToolAsync()
    {
        if (File.Exists(Tool))
        {
            return;
        }

        BenchConsole.Info($"installing dotnet-gcdump {ToolVersion} into {ToolDirectory}");
        var (code, output) = await ChildProcess.RunAsync("dotnet", ["tool", "install", "dotnet-gcdump", "--version", ToolVersion, "--tool-path", ToolDirectory], timeout: TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        if (code != 0 || !File.Exists(Tool))
        {
            throw new InvalidOperationException($"Installing dotnet-gcdump failed ({code}): {output.Trim()}");
        }
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap (bytes|objects)\s*$")]
    private static partial Regex HeapLine();

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(.+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\s*\(Bytes > [^)]*\)")]
    private static partial Regex SizeNote();
}
