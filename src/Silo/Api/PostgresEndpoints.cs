using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Projects;
using Conduit.Silo.Api.Contracts;

namespace Conduit.Silo.Api;

/// <summary>The PostgreSQL data routes (admin key or the project's own key).</summary>
public static class PostgresEndpoints
{
    /// <summary>Maps <c>/api/platform/projects/{ref}/postgresql/*</c>.</summary>
    public static void MapPostgresEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/api/platform/projects/{ref}/postgresql").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        data.MapPost("/query", QueryAsync);
    }

    private static async Task<IResult> QueryAsync(string @ref, HttpContext context, IGrainFactory grains)
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
}
