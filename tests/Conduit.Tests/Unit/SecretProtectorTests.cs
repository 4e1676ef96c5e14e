using Conduit.Errors;
using Conduit.Secrets;

namespace Conduit.Tests.Unit;

public sealed class SecretProtectorTests
{
    private const string Binding = "proj-1/postgresql/default";

    [Fact]
    public void Protect_ThenUnprotect_ReturnsPlaintextAndHidesIt()
    {
        var protector = new SecretProtector(CryptoKey.Generate());

        var sealedValue = protector.Protect("Host=db;Password=s3cret", Binding);

        Assert.StartsWith($"v1:{protector.KeyId}:", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", sealedValue, StringComparison.Ordinal);
        Assert.Equal("Host=db;Password=s3cret", protector.Unprotect(sealedValue, Binding));
    }

    [Fact]
    public void Protect_SamePlaintextTwice_UsesFreshNonces()
    {
        var protector = new SecretProtector(CryptoKey.Generate());

        Assert.NotEqual(protector.Protect("x", Binding), protector.Protect("x", Binding));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_ThrowsSecretUnreadable()
    {
        var protector = new SecretProtector(CryptoKey.Generate());
        var sealedValue = protector.Protect("Host=db;Password=s3cret", Binding);
        var parts = sealedValue.Split(':');
        var payload = Convert.FromBase64String(parts[2]);
        payload[^1] ^= 0x01;
        var tampered = $"{parts[0]}:{parts[1]}:{Convert.ToBase64String(payload)}";

        var error = Assert.Throws<ConduitException>(() => protector.Unprotect(tampered, Binding));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.Contains("tampered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_CopiedToAnotherDatabase_ThrowsSecretUnreadable()
    {
        var protector = new SecretProtector(CryptoKey.Generate());
        var sealedValue = protector.Protect("Host=db;Password=s3cret", Binding);

        var error = Assert.Throws<ConduitException>(() => protector.Unprotect(sealedValue, "proj-2/postgresql/default"));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
    }

    [Fact]
    public void Unprotect_WrongKey_ThrowsSecretUnreadableNamingBothKeyIds()
    {
        var sealer = new SecretProtector(CryptoKey.Generate());
        var other = new SecretProtector(CryptoKey.Generate());
        var sealedValue = sealer.Protect("Host=db;Password=s3cret", Binding);

        var error = Assert.Throws<ConduitException>(() => other.Unprotect(sealedValue, Binding));

        Assert.Equal(ErrorCodes.SecretUnreadable, error.Code);
        Assert.Contains(sealer.KeyId, error.Message, StringComparison.Ordinal);
        Assert.Contains(other.KeyId, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void CryptoKey_Malformed_ThrowsNamingVariableWithoutValue(string text)
    {
        var error = Assert.Throws<ConduitException>(() => CryptoKey.Parse(text));

        Assert.Contains("PG_META_CRYPTO_KEY", error.Message, StringComparison.Ordinal);
        if (text.Length > 0)
        {
            Assert.DoesNotContain(text, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CryptoKey_Base64AndHexOfSameBytes_HaveSameId()
    {
        var bytes = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var fromBase64 = CryptoKey.Parse(Convert.ToBase64String(bytes));
        var fromHex = CryptoKey.Parse(Convert.ToHexString(bytes));

        Assert.Equal(fromBase64.Id, fromHex.Id);
    }
}
