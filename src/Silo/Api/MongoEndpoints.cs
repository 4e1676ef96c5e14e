using Conduit.Connectors.Mongo;
using Conduit.Errors;
using Conduit.Mongo;
using Conduit.Projects;

namespace Conduit.Silo.Api;

/// <summary>
/// The MongoDB data routes (admin key or the project's own key): one POST per operation, with the
/// arguments as an Extended JSON body and the answer as canonical Extended JSON.
/// </summary>
public static class MongoEndpoints
{
    /// <summary>Maps <c>/api/platform/projects/{ref}/mongodb/{database}[/{collection}]/{operation}</c>.</summary>
    public static void MapMongoEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup("/api/platform/projects/{ref}/mongodb").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        data.MapPost("/{database}/{collection}/{operation}", (string @ref, string database, string collection, string operation, HttpContext context, IGrainFactory grains) =>
            ExecuteAsync(@ref, database, collection, operation, context, grains));
        // Database-level operations (listCollections) name no collection.
        data.MapPost("/{database}/{operation}", (string @ref, string database, string operation, HttpContext context, IGrainFactory grains) =>
            ExecuteAsync(@ref, database, null, operation, context, grains));
    }

    private static async Task<IResult> ExecuteAsync(string @ref, string database, string? collection, string operation, HttpContext context, IGrainFactory grains)
    {
        PlatformEndpoints.RequireRef(@ref);
        if (!MongoOperationNames.TryParse(operation, out var op))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"operation: '{operation}' is not a MongoDB operation Conduit serves; use one of {string.Join(", ", MongoOperationNames.All)}.");
        }

        var arguments = await MongoJson.ReadArgumentsAsync(context);
        var registration = context.Request.Query["registration"].ToString() is { Length: > 0 } name ? name : null;
        var command = new MongoCommand(database, collection, op, arguments.ElementCount == 0 ? null : MongoDB.Bson.BsonExtensionMethods.ToBson(arguments), registration);
        try
        {
            var result = await grains.GetGrain<IProjectConnectionGrain>(@ref).MongoExecuteAsync(command, context.RequestAborted);
            return Results.Text(MongoJson.Write(op, result), "application/json", System.Text.Encoding.UTF8);
        }
        catch (ConduitException e) when (MongoErrors.IsDuplicateKey(e))
        {
            // A duplicate key conflicts with what is stored: 409, still BACKEND_ERROR with backendCode 11000.
            return Problems.From(e, context, StatusCodes.Status409Conflict);
        }
    }
}
