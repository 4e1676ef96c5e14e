using System.Security.Cryptography;
using System.Text;
using Conduit.Errors;

namespace Conduit.Secrets;

/// <summary>
/// Seals connection strings with AES-256-GCM. The sealed form is
/// <c>v1:&lt;key id&gt;:&lt;base64(nonce ‖ tag ‖ ciphertext)&gt;</c>; the associated data binds it to its
/// project, type and name, so a ciphertext copied to another row does not open.
/// </summary>
public sealed class SecretProtector
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly CryptoKey _key;

    /// <summary>Creates a protector for one key.</summary>
    public SecretProtector(CryptoKey key) => _key = key;

    /// <summary>The id of the key this protector seals with.</summary>
    public string KeyId => _key.Id;

    /// <summary>Seals <paramref name="plaintext"/>, bound to <paramref name="associatedData"/>.</summary>
    public string Protect(string plaintext, string associatedData)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[NonceSize + TagSize + plain.Length];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key.Bytes, TagSize))
        {
            aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        }

        CryptographicOperations.ZeroMemory(plain);
        return $"{Version}:{_key.Id}:{Convert.ToBase64String(payload)}";
    }

    /// <summary>Opens a sealed value; throws <c>SECRET_UNREADABLE</c> for a wrong key or a tampered value, never returns garbage.</summary>
    public string Unprotect(string sealedValue, string associatedData)
    {
        var parts = sealedValue.Split(':');
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw new ConduitException(ErrorCodes.SecretUnreadable, "The stored connection string is not in the sealed format v1:<key id>:<data>.");
        }

        if (parts[1] != _key.Id)
        {
            throw new ConduitException(ErrorCodes.SecretUnreadable, $"The stored connection string was sealed with key {parts[1]}, but {CryptoKey.EnvironmentVariable} holds key {_key.Id}: configure the key it was sealed with, or rotate.");
        }

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new ConduitException(ErrorCodes.SecretUnreadable, "The stored connection string is damaged: its data is not base64.");
        }

        if (payload.Length < NonceSize + TagSize)
        {
            throw new ConduitException(ErrorCodes.SecretUnreadable, "The stored connection string is damaged: it is too short.");
        }

        var plain = new byte[payload.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key.Bytes, TagSize);
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ConduitException(ErrorCodes.SecretUnreadable, "The stored connection string failed authentication: it was tampered with or belongs to another database.");
        }

        return Encoding.UTF8.GetString(plain);
    }
}
