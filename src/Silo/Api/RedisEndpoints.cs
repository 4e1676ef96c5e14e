using Conduit.Errors;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Silo.Api.Contracts;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Api;

/// <summary>The Redis data routes (admin key or the project's own key).</summary>
public static class RedisEndpoints
{
    /// <summary>Maps <c>/api/platform/projects/{ref}/redis</c>, <c>…/redis/batch</c> and <c>…/redis/subscribe</c>.</summary>
    public static void MapRedisEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/api/platform/projects/{ref}/redis").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        data.MapPost("/", ExecuteAsync);
        data.MapPost("/batch", BatchAsync);
        data.MapGet("/subscribe", RedisSubscribeEndpoint.SubscribeAsync);
    }

    private static async Task<IResult> ExecuteAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<RedisRequest>(context);
        var args = request.Args?.Select((a, i) => JsonValues.ToRedisArgument(a, $"args[{i}]")).ToArray() ?? [];
        var reply = await grains.GetGrain<IProjectConnectionGrain>(@ref).RedisExecuteAsync(new RedisCommand(request.Command ?? string.Empty, args, request.Database), context.RequestAborted);
        return Results.Ok(new { result = ToJson(reply) });
    }

    /// <summary>
    /// <c>{"commands":[{"command":"SET","args":["k","v"]},…],"database":null}</c> →
    /// <c>{"results":[{"result":…}|{"error":{"code":…,"message":…,"backendCode":…}},…]}</c>, in order.
    /// </summary>
    private static async Task<IResult> BatchAsync(string @ref, HttpContext context, IGrainFactory grains, IOptions<DataPlaneOptions> options)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<RedisBatchRequest>(context);
        if (request.Commands is not { } items)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "commands: a list of Redis commands is required.");
        }

        var max = options.Value.RedisMaxBatchCommands;
        if (items.Length > max)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"commands: a batch holds at most {max} commands (Conduit:DataPlane:RedisMaxBatchCommands) and this one has {items.Length}; split it.");
        }

        // Items whose JSON cannot become a command fail alone, like those the grain rejects.
        var results = new RedisBatchResult?[items.Length];
        var commands = new List<RedisCommand>(items.Length);
        var positions = new List<int>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            try
            {
                var item = items[i] ?? throw new ConduitException(ErrorCodes.InvalidRequest, $"commands[{i}]: a command object is required.");
                var args = item.Args?.Select((a, j) => JsonValues.ToRedisArgument(a, $"commands[{i}].args[{j}]")).ToArray() ?? [];
                commands.Add(new RedisCommand(item.Command ?? string.Empty, args, item.Database));
                positions.Add(i);
            }
            catch (ConduitException e)
            {
                results[i] = RedisBatchResult.Failure(e.Code, e.Message);
            }
        }

        if (items.Length == 0 || commands.Count > 0)
        {
            var replies = await grains.GetGrain<IProjectConnectionGrain>(@ref).RedisBatchAsync(new RedisBatch(commands, request.Database), context.RequestAborted);
            for (var j = 0; j < replies.Count; j++)
            {
                results[positions[j]] = replies[j] is { IsSuccess: false } failed
                    ? RedisBatchResult.Failure(failed.ErrorCode!, Renumber(failed.ErrorMessage ?? failed.ErrorCode!, j, positions[j]), failed.BackendCode)
                    : replies[j];
            }
        }

        return Results.Ok(new { results = results.Select(r => ToJson(r!)) });
    }

    /// <summary>The grain numbers items of the batch it received; name them by their place in the request.</summary>
    private static string Renumber(string message, int sent, int requested) =>
        sent == requested || !message.StartsWith($"commands[{sent}]", StringComparison.Ordinal)
            ? message
            : $"commands[{requested}]{message[$"commands[{sent}]".Length..]}";

    /// <summary>A batch item as JSON: <c>{"result":…}</c> or <c>{"error":{…}}</c>.</summary>
    internal static object ToJson(RedisBatchResult result) => result.IsSuccess
        ? new { result = ToJson(result.Reply!) }
        : new { error = new { code = result.ErrorCode, message = result.ErrorMessage, backendCode = result.BackendCode } };

    /// <summary>A reply as plain JSON: null, string, integer or array.</summary>
    internal static object? ToJson(RedisReply reply) => reply.Kind switch
    {
        RedisReplyKind.Null => null,
        RedisReplyKind.Number => reply.Number,
        RedisReplyKind.Array => reply.Items!.Select(ToJson).ToArray(),
        _ => reply.Text,
    };
}
