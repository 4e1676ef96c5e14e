namespace Conduit.Bench.Scenarios;

/// <summary>One way of doing the same operation (direct driver, through a proxy, through Conduit); the operation gets the worker index.</summary>
internal sealed record ComparisonMode(string Name, Func<int, ValueTask> Operation);
