using System.Security.Cryptography;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Registry;
using Conduit.Secrets;
using Conduit.Tests.Infrastructure;
using Conduit.Tests.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Tests.Registry;

public sealed class PostgresProjectRegistryTests
{
    private static readonly DateTimeOffset _created = new(2026, 11, 1, 12, 30, 15, TimeSpan.Zero);

    [Fact]
    public async Task CreateProjectAsync_NewRef_GetProjectReturnsIt()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var project = Project("proj-1", Tier.Starter);

        await registry.CreateProjectAsync(project);
        var found = await registry.GetProjectAsync("proj-1");

        Assert.NotNull(found);
        Assert.Equal(project.Ref, found.Ref);
        Assert.Equal(Tier.Starter, found.Tier);
        Assert.Equal(project.ApiKeyHash, found.ApiKeyHash);
        Assert.Equal(_created, found.CreatedAt);
    }

    [Fact]
    public async Task GetProjectAsync_UnknownRef_ReturnsNull()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.Null(await RegistryOn(database).GetProjectAsync("proj-404"));
    }

    [Fact]
    public async Task CreateProjectAsync_TakenRef_ThrowsProjectExists()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        await registry.CreateProjectAsync(Project("proj-1"));

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.CreateProjectAsync(Project("proj-1", Tier.Pro)));

        Assert.Equal(ErrorCodes.ProjectExists, error.Code);
        Assert.Equal("23505", error.BackendCode);
        Assert.Equal("Project 'proj-1' exists already.", error.Message);
        Assert.Equal(Tier.Free, (await registry.GetProjectAsync("proj-1"))!.Tier);
    }

    [Theory]
    [InlineData("AB")]
    [InlineData("-proj")]
    [InlineData("proj_1")]
    public async Task CreateProjectAsync_InvalidRef_ThrowsInvalidRequest(string projectRef)
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<ConduitException>(() => RegistryOn(database).CreateProjectAsync(Project(projectRef)));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal($"Project ref '{projectRef}' is invalid: {ProjectRefs.Rule}.", error.Message);
    }

    [Fact]
    public async Task CreateProjectAsync_HashNotSha256_ThrowsInvalidRequest()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<ConduitException>(() => RegistryOn(database).CreateProjectAsync(Project("proj-1") with { ApiKeyHash = new byte[16] }));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal("The API key hash of project 'proj-1' must be a SHA-256 digest (32 bytes).", error.Message);
    }

    [Fact]
    public async Task SetTierAsync_ExistingProject_ChangesTierAndReturnsTrue()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        await registry.CreateProjectAsync(Project("proj-1"));

        var changed = await registry.SetTierAsync("proj-1", Tier.Enterprise);

        Assert.True(changed);
        Assert.Equal(Tier.Enterprise, (await registry.GetProjectAsync("proj-1"))!.Tier);
        Assert.Equal("ENTERPRISE", await database.ScalarAsync<string>("SELECT tier FROM platform.projects WHERE ref = 'proj-1'"));
    }

    [Fact]
    public async Task SetTierAsync_UnknownProject_ReturnsFalse()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.False(await RegistryOn(database).SetTierAsync("proj-404", Tier.Pro));
    }

    [Fact]
    public async Task AddDatabaseAsync_SeveralDatabases_GetDatabasesReturnsThemInOrder()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var protector = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        await registry.CreateProjectAsync(Project("proj-2"));
        var postgres = Database(protector, "proj-1", DatabaseType.PostgreSql, "default", "Host=pg.internal;Password=pw1", _created);
        var redis = Database(protector, "proj-1", DatabaseType.Redis, "default", "redis.internal:6379,password=pw2", _created.AddMinutes(1));
        var cache = Database(protector, "proj-1", DatabaseType.Redis, "cache", "cache.internal:6379", _created.AddMinutes(2));
        var elsewhere = Database(protector, "proj-2", DatabaseType.MongoDb, "default", "mongodb://mongo.internal", _created);

        foreach (var record in new[] { redis, postgres, cache, elsewhere })
        {
            await registry.AddDatabaseAsync(record);
        }

        Assert.Equal([postgres, redis, cache], await registry.GetDatabasesAsync("proj-1"));
        Assert.Equal([elsewhere], await registry.GetDatabasesAsync("proj-2"));
    }

    [Fact]
    public async Task GetDatabasesAsync_UnknownProject_ReturnsEmpty()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.Empty(await RegistryOn(database).GetDatabasesAsync("proj-404"));
    }

    [Fact]
    public async Task AddDatabaseAsync_UnknownProject_ThrowsProjectNotFound()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var protector = new SecretProtector(CryptoKey.Generate());

        var error = await Assert.ThrowsAsync<ConduitException>(() =>
            RegistryOn(database).AddDatabaseAsync(Database(protector, "proj-404", DatabaseType.Redis, "default", "r:6379", _created)));

        Assert.Equal(ErrorCodes.ProjectNotFound, error.Code);
        Assert.Equal("23503", error.BackendCode);
        Assert.Equal("Project 'proj-404' is not registered.", error.Message);
    }

    [Fact]
    public async Task AddDatabaseAsync_SameTypeAndName_ThrowsDatabaseExists()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var protector = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "default", "r:6379", _created));

        var error = await Assert.ThrowsAsync<ConduitException>(() =>
            registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "default", "other:6379", _created)));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "second", "r:6379", _created));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.MongoDb, "default", "mongodb://m", _created));

        Assert.Equal(ErrorCodes.DatabaseExists, error.Code);
        Assert.Equal("23505", error.BackendCode);
        Assert.Equal("Project 'proj-1' has a redis database named 'default' already.", error.Message);
        Assert.Equal(3, (await registry.GetDatabasesAsync("proj-1")).Count);
    }

    [Theory]
    [InlineData("Bad Name")]
    [InlineData("_x")]
    [InlineData("")]
    public async Task AddDatabaseAsync_InvalidName_ThrowsInvalidRequest(string name)
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        await registry.CreateProjectAsync(Project("proj-1"));
        var record = Database(new SecretProtector(CryptoKey.Generate()), "proj-1", DatabaseType.Redis, "default", "r:6379", _created) with { Name = name };

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.AddDatabaseAsync(record));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal($"Database name '{name}' is invalid: 1 to 63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit.", error.Message);
    }

    [Fact]
    public async Task AddDatabaseAsync_PlainConnectionString_ThrowsInvalidRequestWithoutRepeatingIt()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        await registry.CreateProjectAsync(Project("proj-1"));
        var record = new DatabaseRecord(Guid.NewGuid(), "proj-1", DatabaseType.PostgreSql, "default", "Host=h;Password=plain-secret", "h:5432/db", _created);

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.AddDatabaseAsync(record));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.DoesNotContain("plain-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.databases"));
    }

    [Fact]
    public async Task AddDatabaseAsync_StoredConnectionString_IsCiphertext()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var protector = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        var plaintext = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Host = "tenant-db.internal", Port = 5432, Database = "tenant_app" }.ConnectionString;
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.PostgreSql, "default", plaintext, _created));

        var stored = await database.ScalarAsync<string>("SELECT connection_string_encrypted FROM platform.databases");
        var target = await database.ScalarAsync<string>("SELECT target FROM platform.databases");

        Assert.StartsWith($"v1:{protector.KeyId}:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServers.PostgresPassword, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant-db", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", stored, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("tenant-db.internal:5432/tenant_app", target);
        var record = Assert.Single(await registry.GetDatabasesAsync("proj-1"));
        Assert.Equal(plaintext, protector.Unprotect(record.EncryptedConnectionString, record.AssociatedData));
    }

    [Fact]
    public async Task Unprotect_StoredValueWithFlippedByte_ThrowsSecretUnreadable()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var protector = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "default", "redis.internal:6379,password=pw", _created));
        var stored = await database.ScalarAsync<string>("SELECT connection_string_encrypted FROM platform.databases");
        await database.ExecuteAsync("UPDATE platform.databases SET connection_string_encrypted = $1", FlipLastByte(stored));

        var record = Assert.Single(await registry.GetDatabasesAsync("proj-1"));
        var error = Assert.Throws<ConduitException>(() => protector.Unprotect(record.EncryptedConnectionString, record.AssociatedData));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.Equal("The stored connection string failed authentication: it was tampered with or belongs to another database.", error.Message);
    }

    [Fact]
    public async Task Unprotect_StoredValueCopiedToOtherDatabase_ThrowsSecretUnreadable()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var protector = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "default", "a:6379", _created));
        await registry.AddDatabaseAsync(Database(protector, "proj-1", DatabaseType.Redis, "other", "b:6379", _created.AddSeconds(1)));
        await database.ExecuteAsync(
            "UPDATE platform.databases SET connection_string_encrypted = (SELECT connection_string_encrypted FROM platform.databases WHERE name = 'default') WHERE name = 'other'");

        var other = (await registry.GetDatabasesAsync("proj-1")).Single(d => d.Name == "other");
        var error = Assert.Throws<ConduitException>(() => protector.Unprotect(other.EncryptedConnectionString, other.AssociatedData));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
    }

    [Fact]
    public async Task Unprotect_WrongKey_ThrowsSecretUnreadableNamingBothKeyIds()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var sealer = new SecretProtector(CryptoKey.Generate());
        var wrong = new SecretProtector(CryptoKey.Generate());
        await registry.CreateProjectAsync(Project("proj-1"));
        await registry.AddDatabaseAsync(Database(sealer, "proj-1", DatabaseType.MongoDb, "default", "mongodb://u:pw@m:27017/app", _created));

        var record = Assert.Single(await registry.GetDatabasesAsync("proj-1"));
        var error = Assert.Throws<ConduitException>(() => wrong.Unprotect(record.EncryptedConnectionString, record.AssociatedData));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.Equal(
            $"The stored connection string was sealed with key {sealer.KeyId}, but PG_META_CRYPTO_KEY holds key {wrong.KeyId}: configure the key it was sealed with, or rotate.",
            error.Message);
    }

    [Fact]
    public async Task PingAsync_ServerUp_ReturnsTrue()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.True(await RegistryOn(database).PingAsync());
    }

    [Fact]
    public async Task PingAsync_ServerDown_ReturnsFalse()
    {
        await using var dataSource = NpgsqlDataSource.Create(UnreachableConnectionString());
        var registry = new PostgresProjectRegistry(dataSource, NullLogger<PostgresProjectRegistry>.Instance);

        Assert.False(await registry.PingAsync());
    }

    [Fact]
    public async Task GetProjectAsync_ServerDown_ThrowsTransientPlatformUnavailable()
    {
        await using var dataSource = NpgsqlDataSource.Create(UnreachableConnectionString());
        var registry = new PostgresProjectRegistry(dataSource, NullLogger<PostgresProjectRegistry>.Instance);

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.GetProjectAsync("proj-1"));

        Assert.Equal(ErrorCodes.PlatformUnavailable, error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal("The platform database did not answer; the silo log has the cause.", error.Message);
    }

    [Fact]
    public async Task GetDatabasesAsync_SchemaNotMigrated_ThrowsPlatformUnavailableNamingMigrate()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);

        var error = await Assert.ThrowsAsync<ConduitException>(() => RegistryOn(database).GetDatabasesAsync("proj-1"));

        Assert.Equal(ErrorCodes.PlatformUnavailable, error.Code);
        Assert.Equal("42P01", error.BackendCode);
        Assert.Equal("The platform schema is missing: run `conduit migrate` with DATABASE_URL set.", error.Message);
    }

    internal static PostgresProjectRegistry RegistryOn(PlatformDatabase database) =>
        new(database.DataSource, NullLogger<PostgresProjectRegistry>.Instance);

    internal static ProjectRecord Project(string projectRef, Tier tier = Tier.Free) =>
        new(projectRef, tier, SHA256.HashData(Guid.NewGuid().ToByteArray()), _created);

    internal static DatabaseRecord Database(SecretProtector protector, string projectRef, DatabaseType type, string name, string plaintext, DateTimeOffset createdAt) =>
        new(
            Guid.NewGuid(),
            projectRef,
            type,
            name,
            protector.Protect(plaintext, DatabaseRecord.SecretBinding(projectRef, type, name)),
            TargetOf(type, plaintext),
            createdAt);

    internal static string FlipLastByte(string sealedValue)
    {
        var prefix = sealedValue[..(sealedValue.LastIndexOf(':') + 1)];
        var payload = Convert.FromBase64String(sealedValue[prefix.Length..]);
        payload[^1] ^= 0x01;
        return prefix + Convert.ToBase64String(payload);
    }

    private static string TargetOf(DatabaseType type, string plaintext)
    {
        if (type != DatabaseType.PostgreSql)
        {
            return "elsewhere";
        }

        var builder = new NpgsqlConnectionStringBuilder(plaintext);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static string UnreachableConnectionString()
    {
        // A port nothing listens on: bind one, note it, release it.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"Host=127.0.0.1;Port={port};Username=postgres;Password=unused;Timeout=2";
    }
}
