using Conduit.Connectors.Postgres;
using Conduit.Postgres;
using Conduit.Silo.Api;

namespace Conduit.Tests.Postgres;

public sealed class PgValueUnitTests
{
    [Theory]
    [InlineData(0, 0, 0L, "PT0S")]
    [InlineData(14, 3, 14_706_789_000L, "P1Y2M3DT4H5M6.789S")]
    [InlineData(-14, 3, -14_706_000_001L, "P-1Y-2M3DT-4H-5M-6.000001S")]
    [InlineData(0, 0, -500_000L, "PT-0.5S")]
    [InlineData(0, 0, 97_200_000_000L, "PT27H")]
    [InlineData(1, 0, 0L, "P1M")]
    public void Interval_ToString_IsPostgresIso8601(int months, int days, long microseconds, string expected)
    {
        var interval = new PgInterval(months, days, microseconds);

        Assert.Equal(expected, interval.ToString());
        Assert.True(PgInterval.TryParse(expected, out var back));
        Assert.Equal(interval, back);
    }

    [Theory]
    [InlineData("P2W", 0, 14, 0L)]
    [InlineData("-P1Y1D", -12, -1, 0L)]
    [InlineData("pt1.5s", 0, 0, 1_500_000L)]
    [InlineData("P+1M-2DT+3H", 1, -2, 10_800_000_000L)]
    public void Interval_TryParse_AcceptsIso8601Variants(string text, int months, int days, long microseconds)
    {
        Assert.True(PgInterval.TryParse(text, out var value));
        Assert.Equal(new PgInterval(months, days, microseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("1 day")]
    [InlineData("P1.5D")]
    [InlineData("PT0.0000001S")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1DT1HT1M")]
    [InlineData("P99999999999Y")]
    public void Interval_TryParse_RefusesWhatItCannotKeepExactly(string text)
    {
        Assert.False(PgInterval.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("000200000000000400011388", "1.5000")]
    [InlineData("00010000400000000007", "-7")]
    [InlineData("0001FFFE000000080D80", "0.00003456")]
    [InlineData("0001000200000000000C", "12" + "00000000")]
    [InlineData("0000000000000003", "0.000")]
    [InlineData("00000000C0000000", "NaN")]
    [InlineData("00000000D0000000", "Infinity")]
    [InlineData("00000000F0000000", "-Infinity")]
    public void NumericText_BinaryNumeric_IsPostgresText(string hex, string expected)
    {
        Assert.Equal(expected, PgBinary.NumericText(Convert.FromHexString(hex)));
    }

    [Fact]
    public void NumericValue_FitsDecimal_DecimalWithScaleElsePgNumeric()
    {
        Assert.Equal("1.50", Assert.IsType<decimal>(PgBinary.NumericValue("1.50")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new PgNumeric("0.12345678901234567890123456789"), PgBinary.NumericValue("0.12345678901234567890123456789"));
        Assert.Equal(new PgNumeric("79228162514264337593543950336"), PgBinary.NumericValue("79228162514264337593543950336"));
        Assert.IsType<decimal>(PgBinary.NumericValue("79228162514264337593543950335"));
    }

    [Fact]
    public void ReadArray_TwoDimensionsWithNull_KeepsShape()
    {
        // ndim 2, has nulls, int4; dims 2x2; elements 1, 2, 3, NULL.
        var data = Convert.FromHexString("00000002" + "00000001" + "00000017" + "0000000200000001" + "0000000200000001"
            + "0000000400000001" + "0000000400000002" + "0000000400000003" + "FFFFFFFF");

        var array = PgBinary.ReadArray<int?>(data, static d => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(d));

        Assert.Equal(new int?[,] { { 1, 2 }, { 3, null } }, array);
    }

    [Theory]
    [InlineData("1.50", "1.5", true)]
    [InlineData("1e2", "100", true)]
    [InlineData("0.1234567890123456789012345678901", "0.1234567890123456789012345678", false)]
    [InlineData("-0.00", "0", true)]
    [InlineData("12E-3", "0.012", true)]
    public void SameNumber_ComparesValues(string a, string b, bool same)
    {
        Assert.Equal(same, JsonValues.SameNumber(a, b));
    }

    [Theory]
    [InlineData("commit", "COMMIT")]
    [InlineData("  /* note */ Begin;", "BEGIN")]
    [InlineData("-- why\nROLLBACK", "ROLLBACK")]
    [InlineData("start transaction", "START")]
    [InlineData("end", "END")]
    [InlineData("abort", "ABORT")]
    [InlineData("rollback to savepoint a", null)]
    [InlineData("savepoint a", null)]
    [InlineData("select 'commit'", null)]
    [InlineData("committed_at", null)]
    public void TransactionControl_LeadingKeyword_IsFound(string sql, string? keyword)
    {
        Assert.Equal(keyword, PostgresRequests.TransactionControl(sql));
    }
}
