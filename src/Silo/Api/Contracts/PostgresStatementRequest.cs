using System.Text.Json;

namespace Conduit.Silo.Api.Contracts;

/// <summary>One statement of <see cref="PostgresTransactionRequest"/>: <c>{"sql":"…","parameters":[…]}</c>.</summary>
public sealed record PostgresStatementRequest(string? Sql, JsonElement[]? Parameters);
