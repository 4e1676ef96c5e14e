using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Postgres;

/// <summary>A silo with small data-plane caps (10 rows, 3 statements per transaction) and a 2 s FREE query timeout.</summary>
public sealed class PostgresLimitsFixture : IAsyncLifetime
{
    public const int MaxRows = 10;

    public const int MaxStatements = 3;

    public ConduitSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await ConduitSilo.StartAsync(new Dictionary<string, string?>
    {
        ["Conduit:DataPlane:MaxRows"] = MaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Conduit:DataPlane:MaxTransactionStatements"] = MaxStatements.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Conduit:Tiers:Free:QueryTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
