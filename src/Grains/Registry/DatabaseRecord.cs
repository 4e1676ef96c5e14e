using Conduit.Model;

namespace Conduit.Registry;

/// <summary>A registered tenant database as the registry stores it.</summary>
/// <param name="Id">The registration's id.</param>
/// <param name="ProjectRef">The owning project.</param>
/// <param name="Type">The database type.</param>
/// <param name="Name">A name unique per project and type; <c>default</c> unless given.</param>
/// <param name="EncryptedConnectionString">The connection string sealed by <see cref="Secrets.SecretProtector"/>.</param>
/// <param name="Target">A secret-free description of where it points (<c>host:port/database</c>), safe to show.</param>
/// <param name="CreatedAt">When it was registered.</param>
public sealed record DatabaseRecord(
    Guid Id,
    string ProjectRef,
    DatabaseType Type,
    string Name,
    string EncryptedConnectionString,
    string Target,
    DateTimeOffset CreatedAt)
{
    /// <summary>The name used when a request names no database.</summary>
    public const string DefaultName = "default";

    /// <summary>The additional authenticated data that binds the ciphertext to this row.</summary>
    public string AssociatedData => SecretBinding(ProjectRef, Type, Name);

    /// <summary>The additional authenticated data for a project, type and name.</summary>
    public static string SecretBinding(string projectRef, DatabaseType type, string name) => $"{projectRef}/{type.ToWireName()}/{name}";
}
