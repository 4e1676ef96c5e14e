using Conduit.Connectors.Redis;
using Conduit.Errors;

namespace Conduit.Tests.Unit;

public sealed class RedisCommandTableTests
{
    [Theory]
    [InlineData("get", "k")]
    [InlineData("SET", "k", "v", "EX", "10", "NX")]
    [InlineData("SET", "k", "v", "PX", "10", "XX", "GET")]
    [InlineData("SET", "k", "v", "KEEPTTL")]
    [InlineData("HSET", "h", "f1", "v1", "f2", "v2")]
    [InlineData("ZADD", "z", "1.5", "a", "-2", "b")]
    [InlineData("ZRANGE", "z", "0", "-1", "withscores")]
    [InlineData("MGET", "a", "b", "c")]
    public void Validate_WellFormed_ReturnsCanonicalName(string command, params string[] args)
    {
        var spec = RedisCommandTable.Validate(command, args);

        Assert.Equal(command.ToUpperInvariant(), spec.Name);
    }

    [Theory]
    [InlineData("HSET", "h", "f1")]
    [InlineData("HSET", "h", "f1", "v1", "f2")]
    [InlineData("ZADD", "z", "one", "a")]
    [InlineData("SET", "k", "v", "EX", "0")]
    [InlineData("SET", "k", "v", "EX", "10", "PX", "5")]
    [InlineData("LRANGE", "l", "0", "x")]
    [InlineData("TTL")]
    public void Validate_Malformed_ThrowsInvalidRequest(string command, params string[] args)
    {
        var error = Assert.Throws<ConduitException>(() => RedisCommandTable.Validate(command, args));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.StartsWith("args", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Unknown_ThrowsUnsupportedCommandListingSupportedOnes()
    {
        var error = Assert.Throws<ConduitException>(() => RedisCommandTable.Validate("FLUSHDB", []));

        Assert.Equal(ErrorCodes.UnsupportedCommand, error.Code);
        Assert.Contains("GET", error.Message, StringComparison.Ordinal);
    }
}
