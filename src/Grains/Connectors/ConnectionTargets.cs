using Conduit.Errors;
using Conduit.Model;
using Npgsql;

namespace Conduit.Connectors;

/// <summary>
/// Validates tenant connection strings when they are registered and describes where they point
/// without their secrets. Error messages never repeat the connection string.
/// </summary>
public static class ConnectionTargets
{
    /// <summary>Parses <paramref name="connectionString"/> for <paramref name="type"/> and returns a secret-free target such as <c>db.example:5432/app</c>.</summary>
    public static string Describe(DatabaseType type, string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw Invalid(type, "it is empty");
        }

        return type switch
        {
            DatabaseType.PostgreSql => DescribePostgres(connectionString),
            DatabaseType.Redis => DescribeRedis(connectionString),
            DatabaseType.MongoDb => DescribeMongo(connectionString),
            _ => throw Invalid(type, "the type is unknown"),
        };
    }

    private static string DescribePostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw Invalid(DatabaseType.PostgreSql, "it is not a keyword=value list Npgsql understands (e.g. Host=…;Database=…;Username=…;Password=…)");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw Invalid(DatabaseType.PostgreSql, "it names no Host");
        }

        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}";
    }

    private static string DescribeRedis(string connectionString)
    {
        StackExchange.Redis.ConfigurationOptions options;
        try
        {
            options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException)
        {
            throw Invalid(DatabaseType.Redis, "it is not a StackExchange.Redis configuration (e.g. host:6379,password=…)");
        }

        if (options.EndPoints.Count == 0)
        {
            throw Invalid(DatabaseType.Redis, "it names no endpoint");
        }

        return string.Join(",", options.EndPoints.Select(Describe)) + (options.DefaultDatabase is { } db ? $"/{db}" : string.Empty);
    }

    private static string Describe(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "unknown",
    };

    private static string DescribeMongo(string connectionString)
    {
        if (!connectionString.StartsWith("mongodb://", StringComparison.Ordinal) && !connectionString.StartsWith("mongodb+srv://", StringComparison.Ordinal))
        {
            throw Invalid(DatabaseType.MongoDb, "it must start with mongodb:// or mongodb+srv://");
        }

        MongoDB.Driver.MongoUrl url;
        try
        {
            // Parsing resolves nothing: a mongodb+srv:// host is looked up only when the pool opens.
            url = MongoDB.Driver.MongoUrl.Create(connectionString);
        }
        catch (Exception e) when (e is MongoDB.Driver.MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver's message may quote the URL, password included: say what is wrong without it.
            throw Invalid(DatabaseType.MongoDb, "it is not a MongoDB URL the driver accepts (e.g. mongodb://user:…@host:27017/app?authSource=admin)");
        }

        var servers = url.Servers?.ToList() ?? [];
        if (servers.Count == 0 || servers.Any(s => string.IsNullOrEmpty(s.Host)))
        {
            throw Invalid(DatabaseType.MongoDb, "it names no host");
        }

        var hosts = url.Scheme == MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv
            ? $"mongodb+srv://{servers[0].Host}"
            : string.Join(",", servers.Select(s => $"{s.Host}:{s.Port}"));
        return string.IsNullOrEmpty(url.DatabaseName) ? hosts : $"{hosts}/{url.DatabaseName}";
    }

    private static ConduitException Invalid(DatabaseType type, string why) =>
        new(ErrorCodes.InvalidRequest, $"connectionString: the {type.ToWireName()} connection string cannot be used: {why}.");
}
