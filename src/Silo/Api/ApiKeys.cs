using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Conduit.Registry;

namespace Conduit.Silo.Api;

/// <summary>
/// Checks bearer keys: the admin key (<c>CONDUIT_ADMIN_KEY</c>) for everything, a project's own key
/// for that project's data routes only. Project key hashes are cached briefly so a data call does not
/// cost a registry read.
/// </summary>
public sealed class ApiKeys(AdminKey adminKey, IProjectRegistry registry, TimeProvider timeProvider)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (byte[] Hash, DateTimeOffset Expires)> _projectHashes = new(StringComparer.Ordinal);

    /// <summary>Prefix of project keys, so a leaked one is recognizable by secret scanners.</summary>
    public const string ProjectKeyPrefix = "cdt_";

    /// <summary>Makes a new project key and its SHA-256 hash (only the hash is stored).</summary>
    public static (string Key, byte[] Hash) NewProjectKey()
    {
        var key = ProjectKeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    /// <summary>SHA-256 of a key's UTF-8 bytes.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>True when <paramref name="presented"/> is the admin key.</summary>
    public bool IsAdmin(string presented) => adminKey.Matches(presented);

    /// <summary>True when <paramref name="presented"/> is the key of <paramref name="projectRef"/>.</summary>
    public async Task<bool> IsProjectKeyAsync(string projectRef, string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(ProjectKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        if (!_projectHashes.TryGetValue(projectRef, out var cached) || cached.Expires < now)
        {
            var project = await registry.GetProjectAsync(projectRef, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                return false;
            }

            cached = (project.ApiKeyHash, now + CacheLifetime);
            _projectHashes[projectRef] = cached;
        }

        return CryptographicOperations.FixedTimeEquals(cached.Hash, Hash(presented));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
