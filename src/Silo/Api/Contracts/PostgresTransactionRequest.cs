namespace Conduit.Silo.Api.Contracts;

/// <summary>Body of <c>POST /api/platform/projects/{ref}/postgresql/transaction</c>.</summary>
public sealed record PostgresTransactionRequest(PostgresStatementRequest?[]? Statements, string? IsolationLevel, string? Database);
