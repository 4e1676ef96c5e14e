using System.Text.Json;
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
        data.MapPost("/transaction", TransactionAsync);
    }

    private static async Task<IResult> QueryAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<PostgresQueryRequest>(context);
        if (string.IsNullOrWhiteSpace(request.Sql))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "sql: a statement is required.");
        }

        var parameters = Parameters(request.Parameters, "parameters");
        var result = await grains.GetGrain<IProjectConnectionGrain>(@ref).PostgresQueryAsync(new PgCommand(request.Sql, parameters, request.Database), context.RequestAborted);
        return Json(writer => PgJson.WriteResult(writer, result));
    }

    private static async Task<IResult> TransactionAsync(string @ref, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        var request = await JsonBody.ReadAsync<PostgresTransactionRequest>(context);
        var statements = new List<PgStatement>(request.Statements?.Length ?? 0);
        for (var i = 0; i < (request.Statements?.Length ?? 0); i++)
        {
            var statement = request.Statements![i] ?? throw new ConduitException(ErrorCodes.InvalidRequest, $"statements[{i}]: a statement object {{\"sql\":…,\"parameters\":[…]}} is required.");
            statements.Add(new PgStatement(statement.Sql ?? string.Empty, Parameters(statement.Parameters, $"statements[{i}].parameters")));
        }

        var transaction = new PgTransaction(statements, IsolationLevel(request.IsolationLevel), request.Database);
        var result = await grains.GetGrain<IProjectConnectionGrain>(@ref).PostgresTransactionAsync(transaction, context.RequestAborted);
        return Json(writer => PgJson.WriteTransaction(writer, result));
    }

    /// <summary>Reads <c>read committed</c>, <c>repeatable read</c> or <c>serializable</c> (any case; spaces, <c>_</c> or <c>-</c> between words).</summary>
    internal static PgIsolationLevel? IsolationLevel(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "READCOMMITTED" => PgIsolationLevel.ReadCommitted,
            "REPEATABLEREAD" => PgIsolationLevel.RepeatableRead,
            "SERIALIZABLE" => PgIsolationLevel.Serializable,
            _ => throw new ConduitException(ErrorCodes.InvalidRequest, $"isolationLevel: '{text}' is not one of \"read committed\", \"repeatable read\", \"serializable\"."),
        };
    }

    private static object?[]? Parameters(JsonElement[]? parameters, string field) =>
        parameters?.Select((p, i) => JsonValues.ToParameter(p, $"{field}[{i}]")).ToArray();

    private static IResult Json(Action<Utf8JsonWriter> write) => Results.Stream(
        async stream =>
        {
            await using var writer = new Utf8JsonWriter(stream);
            write(writer);
            await writer.FlushAsync();
        },
        "application/json");
}
