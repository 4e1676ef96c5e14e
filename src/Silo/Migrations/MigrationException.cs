namespace Conduit.Silo.Migrations;

/// <summary>
/// A migration could not be applied, or one that was applied has changed since. The message names the
/// file and says what to do; the database is left as the last committed migration made it.
/// </summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates an exception with no message; prefer the one that names the file.</summary>
    public MigrationException()
    {
    }

    /// <summary>Creates an exception whose message names the file and the fix.</summary>
    public MigrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception whose message names the file, caused by <paramref name="innerException"/>.</summary>
    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
