namespace Conduit.Redis;

/// <summary>The Redis calls of a project's grain.</summary>
public interface IRedisOperations : IGrainWithStringKey
{
    /// <summary>Runs one Redis command on the project's Redis database.</summary>
    Task<RedisReply> RedisExecuteAsync(RedisCommand command);
}
