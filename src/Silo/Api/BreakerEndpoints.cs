using Conduit.Errors;
using Conduit.Model;
using Conduit.Projects;

namespace Conduit.Silo.Api;

/// <summary>Admin control of a project's circuit breakers: isolate (hold open) and reset (close).</summary>
public static class BreakerEndpoints
{
    /// <summary>Maps <c>POST /api/platform/projects/{ref}/breakers/{type}/isolate|reset</c>.</summary>
    public static void MapBreakerEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/platform/projects/{ref}/breakers").AddEndpointFilter(new AccessFilter(allowProjectKey: false));
        admin.MapPost("/{type}/isolate", (string @ref, string type, string? database, IGrainFactory grains) =>
            ChangeAsync(@ref, type, database, grains, isolate: true));
        admin.MapPost("/{type}/reset", (string @ref, string type, string? database, IGrainFactory grains) =>
            ChangeAsync(@ref, type, database, grains, isolate: false));
    }

    private static async Task<IResult> ChangeAsync(string projectRef, string type, string? database, IGrainFactory grains, bool isolate)
    {
        PlatformEndpoints.RequireRef(projectRef);
        if (!DatabaseTypes.TryParse(type, out var databaseType))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "type: must be one of postgresql, redis, mongodb.");
        }

        var grain = grains.GetGrain<IProjectConnectionGrain>(projectRef);
        var state = isolate ? await grain.IsolateBreakerAsync(databaseType, database) : await grain.ResetBreakerAsync(databaseType, database);
        return Results.Ok(new { @ref = projectRef, type = databaseType.ToWireName(), database = database ?? "default", breaker = StatsView.BreakerName(state) });
    }
}
