using System.Text.Json;

namespace Conduit.Silo.Api.Contracts;

/// <summary>Body of <c>POST /api/platform/projects</c>.</summary>
public sealed record CreateProjectRequest(string? Ref, string? Tier);

/// <summary>Body of <c>PUT /api/platform/projects/{ref}/tier</c>.</summary>
public sealed record SetTierRequest(string? Tier);

/// <summary>Body of <c>POST /api/platform/projects/{ref}/databases</c>.</summary>
public sealed record AddDatabaseRequest(string? Type, string? ConnectionString, string? Name);

/// <summary>Body of <c>POST /api/platform/projects/{ref}/postgresql/query</c>.</summary>
public sealed record PostgresQueryRequest(string? Sql, JsonElement[]? Parameters, string? Database);

/// <summary>Body of <c>POST /api/platform/projects/{ref}/redis</c>; arguments may be strings or numbers.</summary>
public sealed record RedisRequest(string? Command, JsonElement[]? Args, string? Database);
