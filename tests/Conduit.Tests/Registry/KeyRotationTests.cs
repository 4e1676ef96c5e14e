using Conduit.Errors;
using Conduit.Model;
using Conduit.Registry;
using Conduit.Secrets;
using Conduit.Tests.Migrations;
using static Conduit.Tests.Registry.PostgresProjectRegistryTests;

namespace Conduit.Tests.Registry;

public sealed class KeyRotationTests
{
    private static readonly DateTimeOffset _created = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RotateKeyAsync_SealedRows_ResealsEveryRowUnderNewKey()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var current = new SecretProtector(CryptoKey.Generate());
        var next = new SecretProtector(CryptoKey.Generate());
        var plaintexts = await SeedAsync(registry, current);

        var count = await registry.RotateKeyAsync(current, next);

        Assert.Equal(plaintexts.Count, count);
        foreach (var record in await AllAsync(registry))
        {
            Assert.StartsWith($"v1:{next.KeyId}:", record.EncryptedConnectionString, StringComparison.Ordinal);
            Assert.Equal(plaintexts[record.AssociatedData], next.Unprotect(record.EncryptedConnectionString, record.AssociatedData));
            var old = Assert.Throws<ConduitException>(() => current.Unprotect(record.EncryptedConnectionString, record.AssociatedData));
            Assert.Equal(ErrorCodes.SecretUnreadable, old.Code);
        }
    }

    [Fact]
    public async Task RotateKeyAsync_WrongCurrentKey_ThrowsSecretUnreadableAndChangesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var sealer = new SecretProtector(CryptoKey.Generate());
        var wrong = new SecretProtector(CryptoKey.Generate());
        var next = new SecretProtector(CryptoKey.Generate());
        var plaintexts = await SeedAsync(registry, sealer);
        var before = await StoredAsync(database);

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.RotateKeyAsync(wrong, next));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.StartsWith($"{plaintexts.Count} of {plaintexts.Count} stored connection strings do not open under the current key {wrong.KeyId}, so none was re-sealed. ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"sealed with key {sealer.KeyId}, but PG_META_CRYPTO_KEY holds key {wrong.KeyId}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync(database));
    }

    [Fact]
    public async Task RotateKeyAsync_OneTamperedRow_ThrowsNamingItAndChangesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var current = new SecretProtector(CryptoKey.Generate());
        var next = new SecretProtector(CryptoKey.Generate());
        var plaintexts = await SeedAsync(registry, current);
        var tampered = (await AllAsync(registry)).Single(d => d.ProjectRef == "proj-b" && d.Type == DatabaseType.Redis);
        await database.ExecuteAsync("UPDATE platform.databases SET connection_string_encrypted = $1 WHERE id = $2", FlipLastByte(tampered.EncryptedConnectionString), tampered.Id);
        var before = await StoredAsync(database);

        var error = await Assert.ThrowsAsync<ConduitException>(() => registry.RotateKeyAsync(current, next));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.Equal(
            $"1 of {plaintexts.Count} stored connection strings do not open under the current key {current.KeyId}, so none was re-sealed. proj-b/redis/default: The stored connection string failed authentication: it was tampered with or belongs to another database.",
            error.Message);
        Assert.Equal(before, await StoredAsync(database));
    }

    [Fact]
    public async Task RotateKeyAsync_RunTwice_SecondResealsNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var registry = RegistryOn(database);
        var current = new SecretProtector(CryptoKey.Generate());
        var next = new SecretProtector(CryptoKey.Generate());
        await SeedAsync(registry, current);
        await registry.RotateKeyAsync(current, next);
        var afterFirst = await StoredAsync(database);

        var second = await registry.RotateKeyAsync(current, next);

        Assert.Equal(0, second);
        Assert.Equal(afterFirst, await StoredAsync(database));
    }

    [Fact]
    public async Task RotateKeyAsync_SameKey_ThrowsInvalidRequest()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var key = CryptoKey.Generate();

        var error = await Assert.ThrowsAsync<ConduitException>(() => RegistryOn(database).RotateKeyAsync(new SecretProtector(key), new SecretProtector(key)));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal($"The new key is the current key (id {key.Id}): generate a new one with openssl rand -base64 32.", error.Message);
    }

    [Fact]
    public async Task RotateKeyAsync_NoDatabases_ReturnsZero()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        Assert.Equal(0, await RegistryOn(database).RotateKeyAsync(new SecretProtector(CryptoKey.Generate()), new SecretProtector(CryptoKey.Generate())));
    }

    /// <summary>Registers two projects with five databases sealed by <paramref name="protector"/>; returns plaintext by binding.</summary>
    internal static async Task<Dictionary<string, string>> SeedAsync(PostgresProjectRegistry registry, SecretProtector protector)
    {
        (string Ref, DatabaseType Type, string Name, string Plaintext)[] seeds =
        [
            ("proj-a", DatabaseType.PostgreSql, "default", "Host=a.internal;Username=app;Password=pa-1;Database=app"),
            ("proj-a", DatabaseType.Redis, "default", "a-redis.internal:6379,password=pa-2"),
            ("proj-a", DatabaseType.Redis, "sessions", "a-sessions.internal:6379,password=pa-3"),
            ("proj-b", DatabaseType.MongoDb, "default", "mongodb://app:pb-1@b-mongo.internal:27017/app"),
            ("proj-b", DatabaseType.Redis, "default", "b-redis.internal:6379,password=pb-2"),
        ];
        await registry.CreateProjectAsync(Project("proj-a", Tier.Pro));
        await registry.CreateProjectAsync(Project("proj-b", Tier.Free));
        var plaintexts = new Dictionary<string, string>();
        foreach (var (projectRef, type, name, plaintext) in seeds)
        {
            await registry.AddDatabaseAsync(Database(protector, projectRef, type, name, plaintext, _created));
            plaintexts[DatabaseRecord.SecretBinding(projectRef, type, name)] = plaintext;
        }

        return plaintexts;
    }

    internal static async Task<List<string>> StoredAsync(PlatformDatabase database) =>
        (await database.RowsAsync("SELECT connection_string_encrypted FROM platform.databases ORDER BY id")).Select(r => (string)r[0]!).ToList();

    private static async Task<List<DatabaseRecord>> AllAsync(PostgresProjectRegistry registry) =>
        [.. await registry.GetDatabasesAsync("proj-a"), .. await registry.GetDatabasesAsync("proj-b")];
}
