using Conduit.Errors;
using Conduit.Secrets;
using Conduit.Silo.Commands;
using Conduit.Tests.Migrations;
using static Conduit.Tests.Registry.KeyRotationTests;
using static Conduit.Tests.Registry.PostgresProjectRegistryTests;

namespace Conduit.Tests.Registry;

public sealed class RotateKeyCommandTests
{
    [Fact]
    public async Task RunAsync_NoDatabaseUrl_Exits2NamingIt()
    {
        var (code, _, error) = await RunAsync([], new() { ["PG_META_CRYPTO_KEY"] = Key(), ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(2, code);
        Assert.StartsWith("rotate-key: DATABASE_URL is not set: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoCurrentKey_Exits2NamingVariable()
    {
        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = "Host=h", ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(2, code);
        Assert.StartsWith("rotate-key: PG_META_CRYPTO_KEY is not set: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoNewKey_Exits2NamingVariable()
    {
        var (code, output, error) = await RunAsync([], new() { ["DATABASE_URL"] = "Host=h", ["PG_META_CRYPTO_KEY"] = Key() });

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("rotate-key: PG_META_CRYPTO_KEY_NEW is not set: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NewKeyEnvOptionUnset_Exits2NamingThatVariable()
    {
        var (code, _, error) = await RunAsync(["--new-key-env", "NEXT_KEY"], new() { ["DATABASE_URL"] = "Host=h", ["PG_META_CRYPTO_KEY"] = Key(), ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(2, code);
        Assert.StartsWith("rotate-key: NEXT_KEY is not set: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MalformedNewKey_Exits2WithoutPrintingIt()
    {
        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = "Host=h", ["PG_META_CRYPTO_KEY"] = Key(), ["PG_META_CRYPTO_KEY_NEW"] = "not-a-key-but-secret" });

        Assert.Equal(2, code);
        Assert.Equal("rotate-key: PG_META_CRYPTO_KEY_NEW is not a 256-bit key: expected 32 bytes as base64 (44 characters) or 64 hex characters.", error.TrimEnd());
    }

    [Theory]
    [InlineData("--new-key")]
    [InlineData("c2VjcmV0LWtleS1vbi10aGUtY29tbWFuZC1saW5lISE=")]
    [InlineData("--new-key-env")]
    public async Task RunAsync_BadArgument_Exits2WithoutEchoingIt(string argument)
    {
        var (code, _, error) = await RunAsync([argument], new() { ["DATABASE_URL"] = "Host=h", ["PG_META_CRYPTO_KEY"] = Key(), ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(2, code);
        Assert.Contains("usage: conduit rotate-key", error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameKeyTwice_Exits2()
    {
        var key = Key();
        await using var database = await PlatformDatabase.CreateAsync();

        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = database.ConnectionString, ["PG_META_CRYPTO_KEY"] = key, ["PG_META_CRYPTO_KEY_NEW"] = key });

        Assert.Equal(2, code);
        Assert.StartsWith($"rotate-key: {ErrorCodes.InvalidRequest}: The new key is the current key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Keys_ReencryptsAndPrintsCountAndNewKeyId()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var current = CryptoKey.Generate();
        var next = CryptoKey.Generate();
        var plaintexts = await SeedAsync(RegistryOn(database), new SecretProtector(current));

        var (code, output, error) = await RunAsync(
            ["--new-key-env", "NEXT_KEY"],
            new() { ["DATABASE_URL"] = database.ConnectionString, ["PG_META_CRYPTO_KEY"] = current.ToBase64(), ["NEXT_KEY"] = next.ToBase64() });

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains($"re-encrypted {plaintexts.Count} connection strings in ", output, StringComparison.Ordinal);
        Assert.Contains($"they are now sealed with key {next.Id} (was {current.Id}).", output, StringComparison.Ordinal);
        Assert.Contains("next: set PG_META_CRYPTO_KEY to the value of NEXT_KEY and restart the silos", output, StringComparison.Ordinal);
        Assert.DoesNotContain(current.ToBase64(), output, StringComparison.Ordinal);
        Assert.DoesNotContain(next.ToBase64(), output, StringComparison.Ordinal);
        Assert.All(await StoredAsync(database), s => Assert.StartsWith($"v1:{next.Id}:", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WrongCurrentKey_Exits1AndChangesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        var sealer = CryptoKey.Generate();
        var wrong = CryptoKey.Generate();
        await SeedAsync(RegistryOn(database), new SecretProtector(sealer));
        var before = await StoredAsync(database);

        var (code, output, error) = await RunAsync(
            [],
            new() { ["DATABASE_URL"] = database.ConnectionString, ["PG_META_CRYPTO_KEY"] = wrong.ToBase64(), ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith($"rotate-key: {ErrorCodes.SecretUnreadable}: 5 of 5 stored connection strings do not open under the current key {wrong.Id}", error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.ToBase64(), error, StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync(database));
    }

    [Fact]
    public async Task RunAsync_SchemaNotMigrated_Exits1NamingMigrate()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);

        var (code, _, error) = await RunAsync([], new() { ["DATABASE_URL"] = database.ConnectionString, ["PG_META_CRYPTO_KEY"] = Key(), ["PG_META_CRYPTO_KEY_NEW"] = Key() });

        Assert.Equal(1, code);
        Assert.Contains($"{ErrorCodes.PlatformUnavailable} (127.0.0.1:", error, StringComparison.Ordinal);
        Assert.EndsWith("The platform schema is missing: run `conduit migrate` with DATABASE_URL set.", error.TrimEnd(), StringComparison.Ordinal);
    }

    private static string Key() => CryptoKey.Generate().ToBase64();

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await RotateKeyCommand.RunAsync(args, output, error, name => environment.GetValueOrDefault(name), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
