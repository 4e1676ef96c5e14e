using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Redis;
using Conduit.Silo.Api.Contracts;

namespace Conduit.Silo.Api;

/// <summary>The data routes a project key may call: PostgreSQL queries and Redis commands through the project's grain.</summary>
public static class DataEndpoints
{
    /// <summary>Maps the data routes under <c>/api/platform/projects/{ref}</c>.</summary>
    public static void MapDataEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/api/platform/projects/{ref}").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        data.MapPost("/postgresql/query", PostgresQueryAsync);
        data.MapPost("/redis", RedisAsync);
    }

    private static async Task<IResult> PostgresQueryAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<PostgresQueryRequest>(context);
        if (string.IsNullOrWhiteSpace(request.Sql))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "sql: a statement is required.");
        }

        var parameters = request.Parameters?.Select((p, i) => JsonValues.ToParameter(p, $"parameters[{i}]")).ToArray();
        var result = await grains.GetGrain<IProjectConnectionGrain>(@ref).PostgresQueryAsync(new PgCommand(request.Sql, parameters, request.Database));
        return Results.Ok(new
        {
            columns = result.Columns.Select(c => new { name = c.Name, type = c.Type }),
            rows = result.Rows,
            rowsAffected = result.RowsAffected,
        });
    }

    private static async Task<IResult> RedisAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<RedisRequest>(context);
        var args = request.Args?.Select((a, i) => JsonValues.ToRedisArgument(a, $"args[{i}]")).ToArray() ?? [];
        var reply = await grains.GetGrain<IProjectConnectionGrain>(@ref).RedisExecuteAsync(new RedisCommand(request.Command ?? string.Empty, args, request.Database));
        return Results.Ok(new { result = ToJson(reply) });
    }

    private static object? ToJson(RedisReply reply) => reply.Kind switch
    {
        RedisReplyKind.Null => null,
        RedisReplyKind.Number => reply.Number,
        RedisReplyKind.Array => reply.Items!.Select(ToJson).ToArray(),
        _ => reply.Text,
    };
}
