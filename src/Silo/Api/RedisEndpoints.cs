using Conduit.Projects;
using Conduit.Redis;
using Conduit.Silo.Api.Contracts;

namespace Conduit.Silo.Api;

/// <summary>The Redis data routes (admin key or the project's own key).</summary>
public static class RedisEndpoints
{
    /// <summary>Maps <c>/api/platform/projects/{ref}/redis*</c>.</summary>
    public static void MapRedisEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/api/platform/projects/{ref}/redis").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        data.MapPost("/", ExecuteAsync);
    }

    private static async Task<IResult> ExecuteAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<RedisRequest>(context);
        var args = request.Args?.Select((a, i) => JsonValues.ToRedisArgument(a, $"args[{i}]")).ToArray() ?? [];
        var reply = await grains.GetGrain<IProjectConnectionGrain>(@ref).RedisExecuteAsync(new RedisCommand(request.Command ?? string.Empty, args, request.Database));
        return Results.Ok(new { result = ToJson(reply) });
    }

    /// <summary>A reply as plain JSON: null, string, integer or array.</summary>
    internal static object? ToJson(RedisReply reply) => reply.Kind switch
    {
        RedisReplyKind.Null => null,
        RedisReplyKind.Number => reply.Number,
        RedisReplyKind.Array => reply.Items!.Select(ToJson).ToArray(),
        _ => reply.Text,
    };
}
