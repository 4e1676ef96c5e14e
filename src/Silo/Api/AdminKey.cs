using System.Security.Cryptography;
using System.Text;

namespace Conduit.Silo.Api;

/// <summary>The operator's key for admin routes, from <c>CONDUIT_ADMIN_KEY</c> or generated at start.</summary>
public sealed class AdminKey
{
    /// <summary>The environment variable that sets the key.</summary>
    public const string EnvironmentVariable = "CONDUIT_ADMIN_KEY";

    private readonly byte[] _hash;

    /// <summary>Wraps a key.</summary>
    public AdminKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Where a generated key was written, or null when the key came from the environment.</summary>
    public string? WrittenTo { get; init; }

    /// <summary>Constant-time comparison with a presented key.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>
    /// The configured key, or a new random one written (mode 0600) to <paramref name="file"/> so the
    /// operator can read it; the key itself is never logged.
    /// </summary>
    public static AdminKey Resolve(string? configured, string file)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminKey(configured.Trim());
        }

        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } existing)
        {
            return new AdminKey(existing) { WrittenTo = file };
        }

        var key = "cda_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new AdminKey(key) { WrittenTo = Path.GetFullPath(file) };
    }
}
