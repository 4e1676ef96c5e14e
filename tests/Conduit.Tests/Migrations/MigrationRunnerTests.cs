using Conduit.Silo.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    private static readonly string[] _embeddedNames =
    [
        "001_create_platform_schema",
        "002_create_projects",
        "003_add_multi_database_support",
    ];

    [Fact]
    public void LoadEmbedded_SiloAssembly_ReturnsNumberedFilesInOrder()
    {
        var migrations = Migration.LoadEmbedded();

        Assert.Equal(_embeddedNames, migrations.Take(3).Select(m => m.Name));
        Assert.Equal([1, 2, 3], migrations.Take(3).Select(m => m.Version));
        Assert.All(migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public void Checksum_CrlfAndLf_AreEqual()
    {
        var lf = new Migration("001_a.sql", "SELECT 1;\nSELECT 2;\n");
        var crlf = new Migration("001_a.sql", "SELECT 1;\r\nSELECT 2;\r\n");
        var edited = new Migration("001_a.sql", "SELECT 1;\nSELECT 3;\n");

        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.NotEqual(lf.Checksum, edited.Checksum);
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("001-dash.sql")]
    [InlineData("001_Upper.sql")]
    [InlineData("001_name.txt")]
    [InlineData("name.sql")]
    public void Constructor_MisnamedFile_ThrowsNamingIt(string fileName)
    {
        var error = Assert.Throws<ArgumentException>(() => new Migration(fileName, "SELECT 1"));

        Assert.Contains($"'{fileName}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_DuplicateVersion_ThrowsNamingBothFiles()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Migration.Order([new Migration("002_b.sql", ""), new Migration("002_c.sql", ""), new Migration("001_a.sql", "")]));

        Assert.Equal("Migrations 002_b.sql and 002_c.sql share version 2: renumber one.", error.Message);
    }

    [Fact]
    public async Task ApplyAsync_EmptyDatabase_AppliesEveryMigrationAndRecordsIt()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        var runner = Runner(database.DataSource);

        var applied = await runner.ApplyAsync();

        Assert.Equal(runner.Migrations.Select(m => m.Name), applied);
        Assert.Equal(_embeddedNames, applied.Take(3));
        var recorded = await database.RowsAsync("SELECT version, name, checksum, applied_at FROM platform.schema_migrations ORDER BY version");
        Assert.Equal(runner.Migrations.Select(m => (object)m.Version), recorded.Select(r => r[0]));
        Assert.Equal(runner.Migrations.Select(m => m.Name), recorded.Select(r => (string)r[1]!));
        Assert.Equal(runner.Migrations.Select(m => m.Checksum), recorded.Select(r => (string)r[2]!));
        Assert.All(recorded, r => Assert.NotNull(r[3]));
        Assert.Equal(4L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'platform' AND tablename IN ('projects', 'databases', 'database_metrics', 'database_connection_logs')"));
    }

    [Fact]
    public async Task ApplyAsync_SecondRun_AppliesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        await Runner(database.DataSource).ApplyAsync();
        var firstAppliedAt = await database.ScalarAsync<DateTime>("SELECT max(applied_at) FROM platform.schema_migrations");

        var second = await Runner(database.DataSource).ApplyAsync();

        Assert.Empty(second);
        Assert.Equal((long)Migration.LoadEmbedded().Count, await database.ScalarAsync<long>("SELECT count(*) FROM platform.schema_migrations"));
        Assert.Equal(firstAppliedAt, await database.ScalarAsync<DateTime>("SELECT max(applied_at) FROM platform.schema_migrations"));
    }

    [Fact]
    public async Task ApplyAsync_RecordedChecksumDiffers_ThrowsNamingFileAndAppliesNothing()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        Migration[] first = [new("001_create_things.sql", "CREATE TABLE public.things (id int);"), new("002_add_column.sql", "ALTER TABLE public.things ADD COLUMN name text;")];
        await Runner(database.DataSource, first).ApplyAsync();
        Migration[] edited =
        [
            first[0],
            new("002_add_column.sql", "ALTER TABLE public.things ADD COLUMN label text;"),
            new("003_more.sql", "CREATE TABLE public.more (id int);"),
        ];

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(database.DataSource, edited).ApplyAsync());

        Assert.Equal(
            $"Migration 002_add_column.sql has changed since it was applied (recorded checksum {first[1].Checksum}, file checksum {edited[1].Checksum}): an applied migration is never edited; restore the file and add the change as a new numbered migration.",
            error.Message);
        Assert.Null(await database.ScalarAsync<string?>("SELECT to_regclass('public.more')::text"));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM platform.schema_migrations"));
    }

    [Fact]
    public async Task ApplyAsync_EmbeddedMigrationTamperedInHistory_ThrowsNamingFile()
    {
        await using var database = await PlatformDatabase.CreateAsync();
        await database.ExecuteAsync("UPDATE platform.schema_migrations SET checksum = 'edited' WHERE version = 2");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(database.DataSource).ApplyAsync());

        Assert.StartsWith("Migration 002_create_projects.sql has changed since it was applied (recorded checksum edited, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_RecordedUnderOtherName_ThrowsNamingBoth()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        await Runner(database.DataSource, [new("001_first.sql", "SELECT 1;")]).ApplyAsync();

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(database.DataSource, [new("001_renamed.sql", "SELECT 1;")]).ApplyAsync());

        Assert.Equal(
            "Migration version 1 was applied as 001_first.sql, but this build has 001_renamed.sql under that number: an applied migration is never renamed or renumbered.",
            error.Message);
    }

    [Fact]
    public async Task ApplyAsync_RecordedByNewerBuild_AppliesOwnPendingOnes()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        await Runner(database.DataSource, [new("001_a.sql", "SELECT 1;"), new("005_from_the_future.sql", "SELECT 5;")]).ApplyAsync();

        var applied = await Runner(database.DataSource, [new("001_a.sql", "SELECT 1;"), new("002_b.sql", "SELECT 2;")]).ApplyAsync();

        Assert.Equal(["002_b"], applied);
    }

    [Fact]
    public async Task ApplyAsync_FailingMigration_RollsBackNamesFileAndRetriesNextRun()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        var ok = new Migration("001_ok.sql", "CREATE TABLE public.ok (id int);");
        var broken = new Migration("002_broken.sql", "CREATE TABLE public.half (id int);\nSELECT 1 / 0;");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(database.DataSource, [ok, broken]).ApplyAsync());

        Assert.Equal("Migration 002_broken.sql failed and was rolled back: 22012 division by zero", error.Message);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Null(await database.ScalarAsync<string?>("SELECT to_regclass('public.half')::text"));
        Assert.Equal([1], (await database.RowsAsync("SELECT version FROM platform.schema_migrations")).Select(r => (int)r[0]!));

        var fixedRun = await Runner(database.DataSource, [ok, new("002_broken.sql", "CREATE TABLE public.half (id int);")]).ApplyAsync();

        Assert.Equal(["002_broken"], fixedRun);
    }

    [Fact]
    public async Task ApplyAsync_FourRunnersAtOnce_ApplyEachMigrationOnce()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);

        // Not idempotent on purpose: a second application fails on CREATE TABLE or adds a second row.
        Migration[] migrations =
        [
            new("001_slow.sql", "CREATE TABLE public.race (runner_pid int); SELECT pg_sleep(0.3);"),
            new("002_insert.sql", "INSERT INTO public.race VALUES (pg_backend_pid());"),
        ];
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(database.ConnectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(sources.Select(s => Runner(s, migrations).ApplyAsync()));

            Assert.Equal(["001_slow", "002_insert"], results.SelectMany(r => r).Order(StringComparer.Ordinal));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM public.race"));
            Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = {MigrationRunner.LockKey & 0xFFFFFFFF}"));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ApplyAsync_EmbeddedMigrationsTwoRunnersAtOnce_ApplyEachOnce()
    {
        await using var database = await PlatformDatabase.CreateAsync(migrate: false);
        await using var other = NpgsqlDataSource.Create(database.ConnectionString);

        var results = await Task.WhenAll(Runner(database.DataSource).ApplyAsync(), Runner(other).ApplyAsync());

        Assert.Equal(Migration.LoadEmbedded().Select(m => m.Name), results.SelectMany(r => r).Order(StringComparer.Ordinal));
    }

    private static MigrationRunner Runner(NpgsqlDataSource dataSource, IReadOnlyList<Migration>? migrations = null) =>
        migrations is null
            ? new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance)
            : new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance, migrations);
}
