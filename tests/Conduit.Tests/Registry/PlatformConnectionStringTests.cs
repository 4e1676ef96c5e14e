using Conduit.Errors;
using Conduit.Registry;
using Npgsql;

namespace Conduit.Tests.Registry;

public sealed class PlatformConnectionStringTests
{
    private const string Secret = "s3cr3t-Value";

    [Fact]
    public void Parse_FullUrl_MapsEveryPart()
    {
        var parsed = Parse("postgres://conduit:p%40ss%3Aword@db.example.com:6543/platform?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=7");

        Assert.Equal("db.example.com", parsed.Host);
        Assert.Equal(6543, parsed.Port);
        Assert.Equal("conduit", parsed.Username);
        Assert.Equal("p@ss:word", parsed.Password);
        Assert.Equal("platform", parsed.Database);
        Assert.Equal(SslMode.VerifyFull, parsed.SslMode);
        Assert.Equal("/etc/ca.pem", parsed.RootCertificate);
        Assert.Equal(7, parsed.Timeout);
        Assert.Equal(PlatformConnectionString.DefaultMaxPoolSize, parsed.MaxPoolSize);
        Assert.Equal("conduit-platform", parsed.ApplicationName);
    }

    [Fact]
    public void Parse_PostgresqlSchemeWithoutPort_UsesDefaultPort()
    {
        var parsed = Parse("POSTGRESQL://app@localhost/conduit");

        Assert.Equal("localhost", parsed.Host);
        Assert.Equal(5432, parsed.Port);
        Assert.Equal("app", parsed.Username);
        Assert.Null(parsed.Password);
        Assert.Equal("conduit", parsed.Database);
    }

    [Fact]
    public void Parse_UnencodedAtInPassword_SplitsAtLastAt()
    {
        var parsed = Parse("postgres://app:p@ss@localhost:5432/conduit");

        Assert.Equal("p@ss", parsed.Password);
        Assert.Equal("localhost", parsed.Host);
    }

    [Fact]
    public void Parse_Ipv6Host_DropsBrackets()
    {
        var parsed = Parse("postgres://app:pw@[::1]:5433/conduit");

        Assert.Equal("::1", parsed.Host);
        Assert.Equal(5433, parsed.Port);
    }

    [Fact]
    public void Parse_SeveralHosts_KeepsEachPort()
    {
        var parsed = Parse("postgres://app:pw@primary:5432,standby:5433/conduit?target_session_attrs=primary");

        Assert.Equal("primary:5432,standby:5433", parsed.Host);
        Assert.Equal("primary", parsed.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("postgres://app:pw@h/db?pool_max_conns=50", 50)]
    [InlineData("postgres://app:pw@h/db?Maximum%20Pool%20Size=7", 7)]
    [InlineData("Host=h;Username=app;Password=pw;Maximum Pool Size=100", 100)]
    [InlineData("Host=h;Username=app;Password=pw;MaxPoolSize=3", 3)]
    [InlineData("Host=h;Username=app;Password=pw", PlatformConnectionString.DefaultMaxPoolSize)]
    public void Parse_PoolSize_KeptWhenGivenElseDefault(string value, int expected)
    {
        Assert.Equal(expected, Parse(value).MaxPoolSize);
    }

    [Theory]
    [InlineData("postgres://app:pw@h/db?application_name=ops-shell", "ops-shell")]
    [InlineData("Host=h;Application Name=ops-shell", "ops-shell")]
    [InlineData("Host=h;Username=app", "conduit-platform")]
    public void Parse_ApplicationName_KeptWhenGivenElseConduitPlatform(string value, string expected)
    {
        Assert.Equal(expected, Parse(value).ApplicationName);
    }

    [Fact]
    public void Parse_KeywordForm_KeepsItsSettings()
    {
        var parsed = Parse("Host=10.0.0.5;Port=5444;Username=app;Password=pw;Database=conduit;SSL Mode=Require");

        Assert.Equal(("10.0.0.5", 5444, "app", "pw", "conduit", SslMode.Require), (parsed.Host, parsed.Port, parsed.Username, parsed.Password, parsed.Database, parsed.SslMode));
    }

    [Theory]
    [InlineData(null, "DATABASE_URL is not set: ")]
    [InlineData("  ", "DATABASE_URL is not set: ")]
    [InlineData("postgres://app:" + Secret + "@h:notaport/db", "DATABASE_URL has a port that is not a number from 1 to 65535.")]
    [InlineData("postgres://app:" + Secret + "@h:70000/db", "DATABASE_URL has a port that is not a number from 1 to 65535.")]
    [InlineData("postgres://app:" + Secret + "@h/db?sslmode=" + Secret, "DATABASE_URL has an unknown sslmode: ")]
    [InlineData("postgres://app:pw@h/db?" + Secret + "=1", "DATABASE_URL has a URL parameter that is neither ")]
    [InlineData("postgres://app:pw@h/db?connect_timeout=" + Secret, "DATABASE_URL has an invalid value for Timeout.")]
    [InlineData("postgres://app:" + Secret + "@/db", "DATABASE_URL names no host.")]
    [InlineData("postgres://app:" + Secret + "@[::1/db", "DATABASE_URL has an IPv6 host without its closing ']'.")]
    [InlineData("mysql://app:" + Secret + "@h/db", "DATABASE_URL has an unsupported scheme: ")]
    [InlineData("Host=h;Password=" + Secret + ";" + Secret + "=1", "DATABASE_URL is neither a postgres:// URL nor a valid Npgsql connection string ")]
    [InlineData("Username=app;Password=" + Secret, "DATABASE_URL names no host.")]
    public void Parse_InvalidValue_ThrowsInvalidRequestWithoutRepeatingIt(string? value, string messageStart)
    {
        var error = Assert.Throws<ConduitException>(() => PlatformConnectionString.Parse(value));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_OtherSource_NamedInError()
    {
        var error = Assert.Throws<ConduitException>(() => PlatformConnectionString.Parse("", "ConnectionStrings:Platform"));

        Assert.StartsWith("ConnectionStrings:Platform is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.example.com;Port=6543;Username=app;Password=pw;Database=platform", "db.example.com:6543/platform")]
    [InlineData("Host=a:5432,b:5433;Username=app;Password=pw;Database=platform", "a:5432,b:5433/platform")]
    [InlineData("Host=h;Username=app;Password=pw", "h:5432/app")]
    public void Describe_ConnectionString_ShowsHostPortDatabaseOnly(string connectionString, string expected)
    {
        Assert.Equal(expected, PlatformConnectionString.Describe(connectionString));
    }

    private static NpgsqlConnectionStringBuilder Parse(string value) => new(PlatformConnectionString.Parse(value));
}
