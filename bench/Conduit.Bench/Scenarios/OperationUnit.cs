namespace Conduit.Bench.Scenarios;

/// <summary>What one measured operation of a comparison is, for table headers and chart labels.</summary>
/// <param name="Plural">The chart title's word, e.g. <c>operations</c> or <c>batches</c>.</param>
/// <param name="Header">The table header's word before <c>/s</c>, e.g. <c>Ops</c> or <c>Batches</c>.</param>
/// <param name="CommandsPerOperation">Commands one operation carries; above 1 the table adds a commands-per-second column.</param>
internal sealed record OperationUnit(string Plural, string Header, int CommandsPerOperation = 1)
{
    /// <summary>One command per operation (a query, a GET, a find).</summary>
    public static OperationUnit Operation { get; } = new("operations", "Ops");
}
