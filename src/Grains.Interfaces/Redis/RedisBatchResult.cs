using Conduit.Errors;

namespace Conduit.Redis;

/// <summary>The outcome of one command of a <see cref="RedisBatch"/>: its reply, or the error that failed it alone.</summary>
/// <param name="Reply">The reply when the command succeeded; null when it failed.</param>
/// <param name="ErrorCode">One of <see cref="ErrorCodes"/> when the command failed (<c>BACKEND_ERROR</c>, <c>INVALID_REQUEST</c>, <c>UNSUPPORTED_COMMAND</c>).</param>
/// <param name="ErrorMessage">What went wrong; validation messages name the item (<c>commands[3].args: …</c>).</param>
/// <param name="BackendCode">Redis's own error prefix, e.g. <c>WRONGTYPE</c>.</param>
[GenerateSerializer, Immutable, Alias("Conduit.RedisBatchResult")]
public sealed record RedisBatchResult(
    [property: Id(0)] RedisReply? Reply,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? ErrorMessage = null,
    [property: Id(3)] string? BackendCode = null)
{
    /// <summary>True when the command succeeded and <see cref="Reply"/> holds its reply.</summary>
    public bool IsSuccess => ErrorCode is null;

    /// <summary>A successful command's result.</summary>
    public static RedisBatchResult Success(RedisReply reply) => new(reply ?? throw new ArgumentNullException(nameof(reply)));

    /// <summary>A failed command's result.</summary>
    public static RedisBatchResult Failure(string code, string message, string? backendCode = null) => new(null, code, message, backendCode);

    /// <summary>The reply, or the command's error thrown as a <see cref="ConduitException"/>.</summary>
    public RedisReply GetReplyOrThrow() =>
        IsSuccess ? Reply! : throw new ConduitException(ErrorCode!, ErrorMessage ?? ErrorCode!, BackendCode);
}
