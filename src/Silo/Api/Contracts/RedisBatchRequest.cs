namespace Conduit.Silo.Api.Contracts;

/// <summary>Body of <c>POST /api/platform/projects/{ref}/redis/batch</c>: commands shaped like <see cref="RedisRequest"/>, run as one pipeline.</summary>
public sealed record RedisBatchRequest(RedisRequest?[]? Commands, string? Database);
