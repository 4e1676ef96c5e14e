namespace Conduit.Silo.Hosting;

/// <summary>A configuration problem that stops the silo before it serves; the message names the setting to fix.</summary>
public sealed class StartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
