namespace Conduit.Client;

/// <summary>When a Redis SET writes its value.</summary>
public enum RedisSetCondition
{
    /// <summary>Always (plain SET).</summary>
    Always = 0,

    /// <summary>Only when the key does not exist (SET … NX).</summary>
    IfNotExists = 1,

    /// <summary>Only when the key exists already (SET … XX).</summary>
    IfExists = 2,
}
