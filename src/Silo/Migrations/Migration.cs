using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Conduit.Silo.Migrations;

/// <summary>One numbered SQL file of <c>migrations/</c>, e.g. <c>003_add_multi_database_support.sql</c>.</summary>
/// <remarks>
/// The checksum is SHA-256 of the text with line endings normalised to LF, so a checkout that turns
/// them into CRLF does not look like an edited migration.
/// </remarks>
public sealed partial class Migration
{
    /// <summary>The prefix of the embedded resources (see <c>Conduit.Silo.csproj</c>).</summary>
    public const string ResourcePrefix = "migrations/";

    /// <summary>Creates a migration from its file name (<c>NNN_name.sql</c>) and its SQL.</summary>
    /// <exception cref="ArgumentException">The file name is not <c>NNN_name.sql</c>.</exception>
    public Migration(string fileName, string sql)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sql);
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new ArgumentException($"Migration file '{fileName}' is not named NNN_lower_case_name.sql.", nameof(fileName));
        }

        Version = int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        Name = Path.GetFileNameWithoutExtension(fileName);
        Sql = sql;
        Checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
    }

    /// <summary>The number the file starts with; migrations apply in this order.</summary>
    public int Version { get; }

    /// <summary>The file name without <c>.sql</c>, e.g. <c>002_create_projects</c>.</summary>
    public string Name { get; }

    /// <summary>The file name, e.g. <c>002_create_projects.sql</c>.</summary>
    public string FileName => Name + ".sql";

    /// <summary>The SQL to run.</summary>
    public string Sql { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Sql"/> with LF line endings.</summary>
    public string Checksum { get; }

    /// <summary>The migrations embedded in <paramref name="assembly"/> (the silo by default), ordered by version.</summary>
    /// <exception cref="InvalidOperationException">Two files share a version, or a file is misnamed.</exception>
    public static IReadOnlyList<Migration> LoadEmbedded(Assembly? assembly = null)
    {
        assembly ??= typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            try
            {
                migrations.Add(new Migration(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException(ex.Message, ex);
            }
        }

        return Order(migrations);
    }

    /// <summary>Orders <paramref name="migrations"/> by version; two with one version are an error.</summary>
    /// <exception cref="InvalidOperationException">Two migrations share a version.</exception>
    public static IReadOnlyList<Migration> Order(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException($"Migrations {ordered[i - 1].FileName} and {ordered[i].FileName} share version {ordered[i].Version}: renumber one.");
            }
        }

        return ordered;
    }

    [GeneratedRegex(@"^(?<version>[0-9]{3,9})_[a-z0-9_]+\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
