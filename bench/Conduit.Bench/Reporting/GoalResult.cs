namespace Conduit.Bench.Reporting;

/// <summary>One goal of the benchmark issue, checked against this run.</summary>
/// <param name="Goal">What is measured.</param>
/// <param name="Target">The goal, e.g. "≥ 0.80 of direct".</param>
/// <param name="Measured">What this run measured.</param>
/// <param name="Met">True/false, or null when this run cannot tell (e.g. a quick run).</param>
internal sealed record GoalResult(string Goal, string Target, string Measured, bool? Met);
