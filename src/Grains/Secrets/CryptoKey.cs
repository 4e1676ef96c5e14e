using System.Security.Cryptography;
using Conduit.Errors;

namespace Conduit.Secrets;

/// <summary>
/// A 256-bit AES key, parsed from <c>PG_META_CRYPTO_KEY</c>: 32 bytes as base64 (44 characters,
/// e.g. from <c>openssl rand -base64 32</c>) or as 64 hex characters.
/// </summary>
public sealed class CryptoKey
{
    /// <summary>The environment variable that holds the key.</summary>
    public const string EnvironmentVariable = "PG_META_CRYPTO_KEY";

    private CryptoKey(byte[] bytes)
    {
        Bytes = bytes;
        Id = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 4));
    }

    /// <summary>The raw key.</summary>
    internal byte[] Bytes { get; }

    /// <summary>A public fingerprint (first 4 bytes of SHA-256, hex) stored beside each ciphertext, so a wrong key is named as such.</summary>
    public string Id { get; }

    /// <summary>Parses a key; the error message describes the format and never repeats the value.</summary>
    public static CryptoKey Parse(string? text, string source = EnvironmentVariable)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{source} is not set: it must hold a 256-bit key as base64 (openssl rand -base64 32) or 64 hex characters.");
        }

        text = text.Trim();
        byte[]? bytes = null;
        if (text.Length == 64 && text.All(Uri.IsHexDigit))
        {
            bytes = Convert.FromHexString(text);
        }
        else
        {
            var buffer = new byte[48];
            if (Convert.TryFromBase64String(text, buffer, out var written) && written == 32)
            {
                bytes = buffer[..32];
            }
        }

        return bytes is null
            ? throw new ConduitException(ErrorCodes.InvalidRequest, $"{source} is not a 256-bit key: expected 32 bytes as base64 (44 characters) or 64 hex characters.")
            : new CryptoKey(bytes);
    }

    /// <summary>A fresh random key, for the embedded default when no key is configured.</summary>
    public static CryptoKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key as base64, for writing a generated key where an operator can keep it.</summary>
    public string ToBase64() => Convert.ToBase64String(Bytes);
}
