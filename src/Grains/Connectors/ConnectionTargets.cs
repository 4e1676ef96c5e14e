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

        if (!Uri.TryCreate(connectionString.Split(',')[0], UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(DatabaseType.MongoDb, "it names no host");
        }

        return uri.IsDefaultPort || uri.Port < 0 ? uri.Host : $"{uri.Host}:{uri.Port}";
    }

    private static ConduitException Invalid(DatabaseType type, string why) =>
        new(ErrorCodes.InvalidRequest, $"connectionString: the {type.ToWireName()} connection string cannot be used: {why}.");
}
