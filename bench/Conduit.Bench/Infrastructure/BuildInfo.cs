using System.Reflection;

namespace Conduit.Bench.Infrastructure;

/// <summary>Where this build of the benchmark lives: its configuration and the repository it was built from.</summary>
internal static class BuildInfo
{
    /// <summary>The build configuration (Release for real numbers).</summary>
    public static string Configuration { get; } = Metadata("Conduit.Bench.Configuration") ?? "Release";

    /// <summary>The repository root (holds Orleans.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The silo built next to this benchmark, in the same configuration.</summary>
    public static string SiloAssembly => Path.Combine(RepositoryRoot, "src", "Silo", "bin", Configuration, "net10.0", "Conduit.Silo.dll");

    private static string? Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string FindRoot()
    {
        foreach (var start in new[] { Metadata("Conduit.Bench.RepositoryRoot"), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (the folder with Orleans.sln): run the benchmark from inside the Conduit checkout.");
    }
}
