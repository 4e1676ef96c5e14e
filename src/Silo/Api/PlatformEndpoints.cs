using Conduit.Connectors;
using Conduit.Errors;
using Conduit.Model;
using Conduit.Projects;
using Conduit.Registry;
using Conduit.Secrets;
using Conduit.Silo.Api.Contracts;

namespace Conduit.Silo.Api;

/// <summary>The admin routes: projects, tiers, databases, connections.</summary>
public static class PlatformEndpoints
{
    private static readonly System.Text.RegularExpressions.Regex DatabaseName = new("^[a-z0-9][a-z0-9_-]{0,62}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Maps the admin routes under <c>/api/platform</c>.</summary>
    public static void MapPlatformEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/platform/projects").AddEndpointFilter(new AccessFilter(allowProjectKey: false));
        admin.MapPost("/", CreateProjectAsync);
        admin.MapPut("/{ref}/tier", SetTierAsync);
        admin.MapPost("/{ref}/databases", AddDatabaseAsync);
        admin.MapDelete("/{ref}/connections", CloseConnectionsAsync);

        var project = app.MapGroup("/api/platform/projects").AddEndpointFilter(new AccessFilter(allowProjectKey: true));
        project.MapGet("/{ref}", GetProjectAsync);
        project.MapGet("/{ref}/stats", GetStatsAsync);
        project.MapGet("/{ref}/health", GetHealthAsync);
    }

    private static async Task<IResult> CreateProjectAsync(HttpContext context, IProjectRegistry registry, TimeProvider time, ILogger<ProjectAudit> logger)
    {
        var request = await JsonBody.ReadAsync<CreateProjectRequest>(context);
        if (!ProjectRefs.IsValid(request.Ref))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"ref: must be {ProjectRefs.Rule}.");
        }

        var tier = ParseTier(request.Tier);
        var (key, hash) = ApiKeys.NewProjectKey();
        await registry.CreateProjectAsync(new ProjectRecord(request.Ref!, tier, hash, time.GetUtcNow()), context.RequestAborted);
        ApiLog.ProjectCreated(logger, request.Ref!, tier.ToWireName());
        return Results.Created($"/api/platform/projects/{request.Ref}", new { @ref = request.Ref, tier = tier.ToWireName(), apiKey = key });
    }

    private static async Task<IResult> SetTierAsync(string @ref, HttpContext context, IProjectRegistry registry, IGrainFactory grains)
    {
        RequireRef(@ref);
        var request = await JsonBody.ReadAsync<SetTierRequest>(context);
        var tier = ParseTier(request.Tier);
        if (!await registry.SetTierAsync(@ref, tier, context.RequestAborted))
        {
            throw NotFound(@ref);
        }

        await grains.GetGrain<IProjectConnectionGrain>(@ref).ReloadAsync();
        return Results.Ok(new { @ref, tier = tier.ToWireName() });
    }

    private static async Task<IResult> AddDatabaseAsync(string @ref, HttpContext context, IProjectRegistry registry, SecretProtector secrets, IGrainFactory grains, TimeProvider time, ILogger<ProjectAudit> logger)
    {
        RequireRef(@ref);
        var request = await JsonBody.ReadAsync<AddDatabaseRequest>(context);
        if (!DatabaseTypes.TryParse(request.Type, out var type))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "type: must be one of postgresql, redis, mongodb.");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? DatabaseRecord.DefaultName : request.Name.Trim();
        if (!DatabaseName.IsMatch(name))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "name: must be 1 to 63 characters: lower-case letters, digits, '_' and '-', starting with a letter or digit.");
        }

        if (request.ConnectionString is null)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "connectionString: is required.");
        }

        var target = ConnectionTargets.Describe(type, request.ConnectionString);
        if (await registry.GetProjectAsync(@ref, context.RequestAborted) is null)
        {
            throw NotFound(@ref);
        }

        var sealedValue = secrets.Protect(request.ConnectionString, DatabaseRecord.SecretBinding(@ref, type, name));
        var record = new DatabaseRecord(Guid.NewGuid(), @ref, type, name, sealedValue, target, time.GetUtcNow());
        await registry.AddDatabaseAsync(record, context.RequestAborted);
        await grains.GetGrain<IProjectConnectionGrain>(@ref).ReloadAsync();
        ApiLog.DatabaseRegistered(logger, @ref, type.ToWireName(), name, target);
        return Results.Created($"/api/platform/projects/{@ref}", new { id = record.Id, type = type.ToWireName(), name, target, createdAt = record.CreatedAt });
    }

    private static async Task<IResult> CloseConnectionsAsync(string @ref, IGrainFactory grains)
    {
        RequireRef(@ref);
        await grains.GetGrain<IProjectConnectionGrain>(@ref).CloseConnectionsAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> GetProjectAsync(string @ref, HttpContext context, IProjectRegistry registry, IGrainFactory grains)
    {
        RequireRef(@ref);
        var project = await registry.GetProjectAsync(@ref, context.RequestAborted) ?? throw NotFound(@ref);
        var databases = await registry.GetDatabasesAsync(@ref, context.RequestAborted);
        var stats = await grains.GetGrain<IProjectConnectionGrain>(@ref).GetStatsAsync();
        return Results.Ok(new
        {
            @ref = project.Ref,
            tier = project.Tier.ToWireName(),
            createdAt = project.CreatedAt,
            databases = databases.Select(d => new { id = d.Id, type = d.Type.ToWireName(), name = d.Name, target = d.Target, createdAt = d.CreatedAt }),
            stats = StatsView.From(stats),
        });
    }

    private static async Task<IResult> GetStatsAsync(string @ref, IGrainFactory grains)
    {
        RequireRef(@ref);
        return Results.Ok(StatsView.From(await grains.GetGrain<IProjectConnectionGrain>(@ref).GetStatsAsync()));
    }

    private static async Task<IResult> GetHealthAsync(string @ref, IGrainFactory grains)
    {
        RequireRef(@ref);
        var health = await grains.GetGrain<IProjectConnectionGrain>(@ref).CheckHealthAsync();
        var body = new
        {
            @ref = health.Ref,
            status = health.IsHealthy ? "healthy" : "unhealthy",
            databases = health.Databases.Select(d => new
            {
                type = d.Type.ToWireName(),
                name = d.Name,
                status = d.Status.ToString().ToLowerInvariant(),
                responseTimeMs = d.ResponseTimeMs,
                code = d.ErrorCode,
                message = d.Message,
            }),
        };
        return Results.Json(body, statusCode: health.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Throws <c>INVALID_REQUEST</c> for a malformed ref, before any grain is touched.</summary>
    internal static void RequireRef(string projectRef)
    {
        if (!ProjectRefs.IsValid(projectRef))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"ref: must be {ProjectRefs.Rule}.");
        }
    }

    private static Tier ParseTier(string? value) =>
        Tiers.TryParse(value, out var tier) ? tier : throw new ConduitException(ErrorCodes.InvalidRequest, "tier: must be one of FREE, STARTER, PRO, ENTERPRISE.");

    private static ConduitException NotFound(string projectRef) => new(ErrorCodes.ProjectNotFound, $"Project '{projectRef}' is not registered.");

    /// <summary>Log category for project administration events.</summary>
    public sealed class ProjectAudit;
}
