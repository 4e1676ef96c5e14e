namespace Conduit.Bench.Infrastructure;

/// <summary>A private folder under /tmp for one benchmark run's servers; removed at the end.</summary>
internal sealed class StateDirectory : IDisposable
{
    public StateDirectory()
    {
        var info = Directory.CreateTempSubdirectory("conduit-bench.");
        if (!OperatingSystem.IsWindows())
        {
            // Servers that run as another account (PostgreSQL, PgBouncer) must be able to reach their sub-folders.
            File.SetUnixFileMode(info.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        Path = info.FullName;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A sub-folder, created.</summary>
    public string Sub(string name)
    {
        var dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
