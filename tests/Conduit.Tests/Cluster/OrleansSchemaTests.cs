using Conduit.Tests.Migrations;
using Npgsql;

namespace Conduit.Tests.Cluster;

/// <summary>Migrations 004–006: the Orleans tables and every query key the three ADO.NET providers look up.</summary>
public sealed class OrleansSchemaTests
{
    private static readonly string[] _providerKeys =
    [
        // Membership (Microsoft.Orleans.Clustering.AdoNet); CleanupDefunctSiloEntryKey is the optional one.
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",

        // Reminders (Microsoft.Orleans.Reminders.AdoNet).
        "UpsertReminderRowKey", "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",

        // Grain state (Microsoft.Orleans.Persistence.AdoNet).
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task Migrate_Orleans_StoresExactlyTheProviderQueryKeys()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        var keys = (await database.RowsAsync("SELECT QueryKey FROM orleans.OrleansQuery ORDER BY QueryKey")).Select(r => (string)r[0]!);

        Assert.Equal(_providerKeys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Migrate_Orleans_QueriesResolveUnqualifiedThroughTheSearchPath()
    {
        await using var database = await PlatformDatabase.CreateAsync();

        // The providers run exactly this text; the silo's Orleans pool sets Search Path=orleans.
        var withSearchPath = new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = "orleans" }.ConnectionString;
        await using var connection = new NpgsqlConnection(withSearchPath);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        var count = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                count++;
            }
        }

        Assert.Equal(_providerKeys.Length, count);
    }

    [Fact]
    public async Task MembershipVersion_StaleVersion_ChangesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO orleans.membership_versions (deployment_id, version) VALUES ('c1', 4)");

        var insert = await database.ScalarAsync<string>("SELECT QueryText FROM orleans.OrleansQuery WHERE QueryKey = 'InsertMembershipKey'");
        var positional = insert.Replace("@DeploymentId", "'c1'", StringComparison.Ordinal).Replace("@Address", "'127.0.0.1'", StringComparison.Ordinal)
            .Replace("@Port", "11111", StringComparison.Ordinal).Replace("@Generation", "7", StringComparison.Ordinal)
            .Replace("@SiloName", "'s'", StringComparison.Ordinal).Replace("@HostName", "'h'", StringComparison.Ordinal)
            .Replace("@Status", "3", StringComparison.Ordinal).Replace("@ProxyPort", "30000", StringComparison.Ordinal)
            .Replace("@StartTime", "now()", StringComparison.Ordinal).Replace("@IAmAliveTime", "now()", StringComparison.Ordinal);

        Assert.False(await database.ScalarAsync<bool>(positional.Replace("@Version", "3", StringComparison.Ordinal)));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM orleans.membership"));
        Assert.Equal(4, await database.ScalarAsync<int>("SELECT version FROM orleans.membership_versions"));

        Assert.True(await database.ScalarAsync<bool>(positional.Replace("@Version", "4", StringComparison.Ordinal)));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orleans.membership"));
        Assert.Equal(5, await database.ScalarAsync<int>("SELECT version FROM orleans.membership_versions"));
    }
}
