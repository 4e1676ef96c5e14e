using System.Globalization;
using Conduit.Errors;
using Npgsql;

namespace Conduit.Registry;

/// <summary>
/// Turns <c>DATABASE_URL</c> into an Npgsql connection string for the platform database. Accepts the
/// URL form (<c>postgres://user:pass@host:port/db?sslmode=require</c>, also <c>postgresql://</c>, several
/// hosts as <c>host1:5432,host2:5432</c>) and Npgsql's keyword form (<c>Host=…;Username=…</c>).
/// </summary>
/// <remarks>
/// The value holds a password, so no error message repeats any part of it; reserved characters in
/// the URL's user name or password must be percent-encoded. Unless the value says otherwise the pool
/// is capped at <see cref="DefaultMaxPoolSize"/> (Npgsql's default of 100 per silo exhausts a default
/// PostgreSQL's <c>max_connections</c> when several silos share it) and the connections are tagged
/// <see cref="DefaultApplicationName"/> in <c>pg_stat_activity</c>.
/// </remarks>
public static class PlatformConnectionString
{
    /// <summary>The environment variable that holds the platform database's address.</summary>
    public const string EnvironmentVariable = "DATABASE_URL";

    /// <summary>The pool cap used when the value sets none.</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>The application name used when the value sets none.</summary>
    public const string DefaultApplicationName = "conduit-platform";

    private const string MaxPoolSizeKey = "Maximum Pool Size";
    private const string ApplicationNameKey = "Application Name";

    /// <summary>
    /// libpq's URL parameters and the Npgsql keyword each maps to. A parameter not listed here is
    /// passed to Npgsql as a keyword (<c>?Maximum Pool Size=50</c> and <c>?Timeout=5</c> both work).
    /// </summary>
    private static readonly Dictionary<string, string> _urlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = ApplicationNameKey,
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["pool_max_conns"] = MaxPoolSizeKey,
    };

    private static readonly Dictionary<string, string> _sslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>
    /// Parses <paramref name="value"/> into an Npgsql connection string; throws <c>INVALID_REQUEST</c>
    /// with a message that names <paramref name="source"/> and the problem, never the value.
    /// </summary>
    public static string Parse(string? value, string source = EnvironmentVariable)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid(source, "is not set: it must name the platform PostgreSQL as postgres://user:password@host:port/database or as Host=…;Username=…;Password=…;Database=…");
        }

        value = value.Trim();
        var builder = IsUrl(value) ? FromUrl(value, source) : FromKeywords(value, source);

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw Invalid(source, "names no host.");
        }

        var keys = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!keys.Contains(MaxPoolSizeKey))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!keys.Contains(ApplicationNameKey))
        {
            builder.ApplicationName = DefaultApplicationName;
        }

        return builder.ConnectionString;
    }

    /// <summary>A secret-free <c>host:port/database</c> of an Npgsql connection string, safe to log.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var host = builder.Host ?? "?";
        var hostPart = host.Contains(',', StringComparison.Ordinal) ? host : $"{host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
        return $"{hostPart}/{builder.Database ?? builder.Username ?? "?"}";
    }

    private static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder FromKeywords(string value, string source)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(source, "has an unsupported scheme: use postgres:// or postgresql://.");
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            // Npgsql's message can quote a fragment of the value (a password containing ';'), so it is dropped.
            throw Invalid(source, "is neither a postgres:// URL nor a valid Npgsql connection string (Keyword=value;…): check for unknown keywords, bad numbers, or a value containing ';' that needs quoting.");
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value, string source)
    {
        var rest = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        // The last '@' ends the user info, so an unencoded '@' in a password still parses.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (user.Length > 0)
            {
                builder.Username = user;
            }

            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        string? query = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            query = rest[(question + 1)..];
            rest = rest[..question];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        if (slash >= 0)
        {
            var database = Decode(rest[(slash + 1)..]);
            if (database.Length > 0)
            {
                builder.Database = database;
            }
        }

        SetHosts(builder, authority, source);

        if (!string.IsNullOrEmpty(query))
        {
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Decode(equals >= 0 ? pair[..equals] : pair);
                var parameterValue = equals >= 0 ? Decode(pair[(equals + 1)..]) : string.Empty;
                SetParameter(builder, name, parameterValue, source);
            }
        }

        return builder;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority, string source)
    {
        if (authority.Length == 0)
        {
            return;
        }

        var hosts = authority.Split(',');
        if (hosts.Length == 1)
        {
            var (host, port) = SplitHostPort(hosts[0], source);
            builder.Host = host;
            if (port is { } single)
            {
                builder.Port = single;
            }

            return;
        }

        // Npgsql takes several hosts as one comma-separated Host value, each with its own port.
        builder.Host = string.Join(',', hosts.Select(h =>
        {
            var (host, port) = SplitHostPort(h, source);
            var shown = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
            return port is { } p ? $"{shown}:{p.ToString(CultureInfo.InvariantCulture)}" : shown;
        }));
    }

    private static (string Host, int? Port) SplitHostPort(string hostPort, string source)
    {
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid(source, "has an IPv6 host without its closing ']'.");
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw Invalid(source, "has text after an IPv6 host that is not ':port'.");
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            port = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw Invalid(source, "names an empty host.");
        }

        if (port is null || port.Length == 0)
        {
            return (Decode(host), null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? (Decode(host), number)
            : throw Invalid(source, "has a port that is not a number from 1 to 65535.");
    }

    private static void SetParameter(NpgsqlConnectionStringBuilder builder, string name, string value, string source)
    {
        var keyword = _urlParameters.TryGetValue(name, out var mapped) ? mapped : name;
        if (keyword == "SSL Mode")
        {
            value = _sslModes.TryGetValue(value, out var mode)
                ? mode
                : throw Invalid(source, "has an unknown sslmode: use disable, allow, prefer, require, verify-ca or verify-full.");
        }

        try
        {
            builder[keyword] = value;
        }
        catch (ArgumentException)
        {
            // Only a name from the table above is repeated: with an unencoded '&' in a password, an
            // unknown "name" can be a piece of the password.
            throw Invalid(source, mapped is null
                ? "has a URL parameter that is neither a libpq parameter Conduit maps (sslmode, sslrootcert, connect_timeout, application_name, options, target_session_attrs, …) nor an Npgsql keyword."
                : $"has an invalid value for {keyword}.");
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);

    private static ConduitException Invalid(string source, string problem) =>
        new(ErrorCodes.InvalidRequest, $"{source} {problem}");
}
