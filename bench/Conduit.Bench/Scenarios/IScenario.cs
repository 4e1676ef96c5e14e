using Conduit.Bench.Cli;
using Conduit.Bench.Reporting;

namespace Conduit.Bench.Scenarios;

/// <summary>One benchmark scenario. Add a scenario by implementing this and listing it in <see cref="ScenarioCatalog"/>.</summary>
internal interface IScenario
{
    /// <summary>The command-line name, e.g. <c>pg-point</c>.</summary>
    string Name { get; }

    /// <summary>One line for the scenario list.</summary>
    string Summary { get; }

    /// <summary>The PostgreSQL max_connections this scenario needs with <paramref name="options"/>.</summary>
    int PostgresConnectionsNeeded(BenchOptions options) => 300;

    /// <summary>Runs the scenario and returns what it measured.</summary>
    Task<ScenarioReport> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
