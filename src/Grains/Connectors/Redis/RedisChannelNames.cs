using Conduit.Errors;

namespace Conduit.Connectors.Redis;

/// <summary>What a subscribable channel name may be: 1–256 characters, taken literally (patterns are not supported).</summary>
public static class RedisChannelNames
{
    /// <summary>The longest channel name accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Throws <c>INVALID_REQUEST</c> naming the field when <paramref name="channel"/> is not a valid channel name.</summary>
    public static string Validate(string? channel)
    {
        if (string.IsNullOrEmpty(channel))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "channel: a channel name is required.");
        }

        if (channel.Length > MaxLength)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"channel: a channel name has at most {MaxLength} characters; this one has {channel.Length}.");
        }

        return channel;
    }
}
