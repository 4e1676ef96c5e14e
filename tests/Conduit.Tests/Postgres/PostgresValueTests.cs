using System.Net;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Postgres;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Postgres;

/// <summary>Every PostgreSQL type the product promises, through an Orleans client over the gateway and through REST JSON.</summary>
public sealed class PostgresValueTests(PostgresClientFixture fixture) : IClassFixture<PostgresClientFixture>
{
    private const string Scalars = """
        select null::int as n, true as b, 1::int2 as i2, 2147483647::int4 as i4, 9223372036854775807::int8 as i8,
               1.50::numeric(10,2) as num, 123456789012345678901234567890.123456789::numeric as big, 'NaN'::numeric as nan,
               0.1234567890123456789012345678901::numeric as precise, '-Infinity'::numeric as ninf,
               1.5::float4 as f4, 0.1::float8 as f8, 'NaN'::float8 as fnan, '-Infinity'::float8 as fninf, 'Infinity'::float4 as f4inf,
               'héllo "quoted"'::text as t, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as u, '2024-02-29'::date as d,
               '2024-02-29 12:34:56.123456+02'::timestamptz as tz, '2024-02-29 12:34:56.123456'::timestamp as ts,
               '1 year 2 mons 3 days 04:05:06.789'::interval as iv, '-1 mons +40 days -00:00:01.5'::interval as ivneg,
               '\xdeadbeef'::bytea as bin, '{"a": [1, 2.5, "x"], "b": null}'::jsonb as jb, '[1, 2]'::json as js,
               '12:34:56.789'::time as tm, 'infinity'::date as dinf, '-infinity'::timestamptz as tzninf, 12.34::money as m
        """;

    private const string Arrays = """
        select '{1,null,3}'::int4[] as ints, '{{1,2},{3,null}}'::int4[] as grid, '{1.50,null,2.25}'::numeric[] as nums,
               '{1.5,null,123456789012345678901234567890.5}'::numeric[] as bignums, '{t,null,f}'::bool[] as bools,
               '{1,null}'::int2[] as i2s, '{9223372036854775807,null}'::int8[] as i8s, '{1.5,NaN,null}'::float8[] as f8s,
               '{a,null,"b,c"}'::text[] as texts, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,null}'::uuid[] as uuids,
               '{2024-02-29,null}'::date[] as dates, array['2024-02-29 12:34:56.123456+00'::timestamptz, null] as tzs,
               array['2024-02-29 12:34:56'::timestamp, null] as tss, '{"1 year 2 days 00:00:03",null}'::interval[] as ivs,
               array['\xdead'::bytea, null] as bins, array['{"a":1}'::jsonb, null] as jbs, '{}'::int4[] as empty
        """;

    private ConduitSilo Silo => fixture.Silo;

    [Fact]
    public async Task Query_ScalarTypes_ArriveAtTheClientExactly()
    {
        var postgres = await NewProjectAsync();

        var result = await postgres.QueryAsync(Scalars);
        object? Value(string column) => result.Rows[0][result.Columns.ToList().FindIndex(c => c.Name == column)];

        Assert.Null(Value("n"));
        Assert.Equal(true, Value("b"));
        Assert.Equal((short)1, Assert.IsType<short>(Value("i2")));
        Assert.Equal(int.MaxValue, Assert.IsType<int>(Value("i4")));
        Assert.Equal(long.MaxValue, Assert.IsType<long>(Value("i8")));
        Assert.Equal("1.50", Assert.IsType<decimal>(Value("num")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new PgNumeric("123456789012345678901234567890.123456789"), Value("big"));
        Assert.Equal(new PgNumeric("NaN"), Value("nan"));
        Assert.Equal(new PgNumeric("0.1234567890123456789012345678901"), Value("precise"));
        Assert.Equal(new PgNumeric("-Infinity"), Value("ninf"));
        Assert.Equal(1.5f, Assert.IsType<float>(Value("f4")));
        Assert.Equal(0.1, Assert.IsType<double>(Value("f8")));
        Assert.True(double.IsNaN((double)Value("fnan")!));
        Assert.Equal(double.NegativeInfinity, Value("fninf"));
        Assert.Equal(float.PositiveInfinity, Value("f4inf"));
        Assert.Equal("héllo \"quoted\"", Value("t"));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Value("u"));
        Assert.Equal(new DateOnly(2024, 2, 29), Value("d"));
        var tz = Assert.IsType<DateTime>(Value("tz"));
        Assert.Equal(DateTimeKind.Utc, tz.Kind);
        Assert.Equal(new DateTime(2024, 2, 29, 10, 34, 56, DateTimeKind.Utc).AddTicks(1234560), tz);
        var ts = Assert.IsType<DateTime>(Value("ts"));
        Assert.Equal(DateTimeKind.Unspecified, ts.Kind);
        Assert.Equal(new DateTime(2024, 2, 29, 12, 34, 56).AddTicks(1234560), ts);
        Assert.Equal(new PgInterval(14, 3, ((((4 * 60) + 5) * 60) + 6) * 1_000_000L + 789_000), Value("iv"));
        Assert.Equal(new PgInterval(-1, 40, -1_500_000), Value("ivneg"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, Value("bin"));
        Assert.Equal("""{"a": [1, 2.5, "x"], "b": null}""", Value("jb"));
        Assert.Equal("[1, 2]", Value("js"));
        Assert.Equal(new TimeOnly(12, 34, 56, 789), Value("tm"));
        Assert.Equal(DateOnly.MaxValue, Value("dinf"));
        Assert.Equal(DateTime.MinValue.Ticks, Assert.IsType<DateTime>(Value("tzninf")).Ticks);
        Assert.Equal(12.34m, Value("m"));
    }

    [Fact]
    public async Task Query_ArrayTypes_ArriveAtTheClientExactly()
    {
        var postgres = await NewProjectAsync();

        var result = await postgres.QueryAsync(Arrays);
        object? Value(string column) => result.Rows[0][result.Columns.ToList().FindIndex(c => c.Name == column)];

        Assert.Equal(new int?[] { 1, null, 3 }, Value("ints"));
        var grid = Assert.IsType<int?[,]>(Value("grid"));
        Assert.Equal(new int?[,] { { 1, 2 }, { 3, null } }, grid);
        Assert.Equal(["1.50", null, "2.25"], Assert.IsType<decimal?[]>(Value("nums")).Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new PgNumeric?[] { new("1.5"), null, new("123456789012345678901234567890.5") }, Value("bignums"));
        Assert.Equal(new bool?[] { true, null, false }, Value("bools"));
        Assert.Equal(new short?[] { 1, null }, Value("i2s"));
        Assert.Equal(new long?[] { long.MaxValue, null }, Value("i8s"));
        var floats = Assert.IsType<double?[]>(Value("f8s"));
        Assert.Equal(1.5, floats[0]);
        Assert.True(double.IsNaN(floats[1]!.Value));
        Assert.Null(floats[2]);
        Assert.Equal(new[] { "a", null, "b,c" }, Value("texts"));
        Assert.Equal(new Guid?[] { Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), null }, Value("uuids"));
        Assert.Equal(new DateOnly?[] { new DateOnly(2024, 2, 29), null }, Value("dates"));
        var instants = Assert.IsType<DateTime?[]>(Value("tzs"));
        Assert.Equal(DateTimeKind.Utc, instants[0]!.Value.Kind);
        Assert.Equal(new DateTime(2024, 2, 29, 12, 34, 56, DateTimeKind.Utc).AddTicks(1234560), instants[0]);
        Assert.Equal(new DateTime?[] { new DateTime(2024, 2, 29, 12, 34, 56), null }, Value("tss"));
        Assert.Equal(new PgInterval?[] { new PgInterval(12, 2, 3_000_000), null }, Value("ivs"));
        Assert.Equal(new byte[]?[] { [0xde, 0xad], null }, Value("bins"));
        Assert.Equal(new[] { """{"a": 1}""", null }, Value("jbs"));
        Assert.Empty(Assert.IsType<int?[]>(Value("empty")));
    }

    [Fact]
    public async Task Query_ClientParameters_RoundTripWithTheirTypes()
    {
        var postgres = await NewProjectAsync();
        var guid = Guid.NewGuid();
        var utc = new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(9999990);
        var local = new DateTime(1999, 12, 31, 1, 2, 3).AddTicks(40);
        (string Cast, object? Sent, object? Expected)[] cases =
        [
            ("::int", null, null),
            (string.Empty, true, true),
            (string.Empty, (short)-2, (short)-2),
            (string.Empty, int.MinValue, int.MinValue),
            (string.Empty, long.MinValue, long.MinValue),
            (string.Empty, 1.50m, 1.50m),
            ("::numeric", new PgNumeric("-98765432109876543210987654321.0987654321"), new PgNumeric("-98765432109876543210987654321.0987654321")),
            ("::numeric", new PgNumeric("NaN"), new PgNumeric("NaN")),
            (string.Empty, -1.25f, -1.25f),
            (string.Empty, double.PositiveInfinity, double.PositiveInfinity),
            (string.Empty, "text ✓", "text ✓"),
            (string.Empty, guid, guid),
            (string.Empty, new DateOnly(1, 1, 2), new DateOnly(1, 1, 2)),
            (string.Empty, utc, utc),
            (string.Empty, local, local),
            (string.Empty, new PgInterval(-25, 400, 86_400_000_001), new PgInterval(-25, 400, 86_400_000_001)),
            (string.Empty, new byte[] { 0, 1, 255 }, new byte[] { 0, 1, 255 }),
            (string.Empty, new TimeOnly(23, 59, 59, 999, 999), new TimeOnly(23, 59, 59, 999, 999)),
            (string.Empty, new int?[] { null, 7 }, new int?[] { null, 7 }),
            (string.Empty, new PgInterval?[] { new PgInterval(1, 0, 0), null }, new PgInterval?[] { new PgInterval(1, 0, 0), null }),
            ("::numeric[]", new PgNumeric[] { new("1e-40"), new("2") }, new PgNumeric?[] { new("0.0000000000000000000000000000000000000001"), new("2") }),
            (string.Empty, new string?[] { null, "x" }, new string?[] { null, "x" }),
            (string.Empty, new decimal?[] { 0.001m, null }, new decimal?[] { 0.001m, null }),
        ];

        var sql = "select " + string.Join(", ", cases.Select((c, i) => $"${i + 1}{c.Cast}"));
        var row = (await postgres.QueryAsync(sql, cases.Select(c => c.Sent).ToArray())).Rows[0];

        for (var i = 0; i < cases.Length; i++)
        {
            var (_, sent, expected) = cases[i];
            Assert.True(expected?.GetType() == row[i]?.GetType(), $"${i + 1}: sent {sent?.GetType()}, expected {expected?.GetType()}, got {row[i]?.GetType()}");
            Assert.Equal(expected, row[i]);
        }

        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[13]!).Kind);
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)row[14]!).Kind);
    }

    [Fact]
    public async Task Query_JsonbTypedParameter_IsStoredAsJsonbAndComesBackAsText()
    {
        var postgres = await NewProjectAsync();
        await postgres.QueryAsync("create table docs (body jsonb)");

        await postgres.QueryAsync("insert into docs values ($1)", new PgTypedValue("jsonb", """{"k": [1, {"n": null}]}"""));
        var result = await postgres.QueryAsync("select body, jsonb_typeof(body), body->'k'->1 from docs");

        Assert.Equal(["""{"k": [1, {"n": null}]}""", "object", """{"n": null}"""], result.Rows[0]);
    }

    [Fact]
    public async Task Query_ScalarTypes_AsJson()
    {
        var projectRef = await NewProjectRefAsync();

        var response = await Silo.Admin.QueryAsync(projectRef, Scalars);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var columns = body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        JsonElement Value(string column) => body.GetProperty("rows")[0][columns.IndexOf(column)];

        Assert.Equal(JsonValueKind.Null, Value("n").ValueKind);
        Assert.Equal(JsonValueKind.True, Value("b").ValueKind);
        Assert.Equal("1", Value("i2").GetRawText());
        Assert.Equal("2147483647", Value("i4").GetRawText());
        Assert.Equal("9223372036854775807", Value("i8").GetRawText());
        Assert.Equal("1.50", Value("num").GetString());
        Assert.Equal("123456789012345678901234567890.123456789", Value("big").GetString());
        Assert.Equal("NaN", Value("nan").GetString());
        Assert.Equal("0.1234567890123456789012345678901", Value("precise").GetString());
        Assert.Equal("-Infinity", Value("ninf").GetString());
        Assert.Equal("1.5", Value("f4").GetRawText());
        Assert.Equal("0.1", Value("f8").GetRawText());
        Assert.Equal("NaN", Value("fnan").GetString());
        Assert.Equal("-Infinity", Value("fninf").GetString());
        Assert.Equal("Infinity", Value("f4inf").GetString());
        Assert.Equal("héllo \"quoted\"", Value("t").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", Value("u").GetString());
        Assert.Equal("2024-02-29", Value("d").GetString());
        Assert.Equal("2024-02-29T10:34:56.123456Z", Value("tz").GetString());
        Assert.Equal("2024-02-29T12:34:56.123456", Value("ts").GetString());
        Assert.Equal("P1Y2M3DT4H5M6.789S", Value("iv").GetString());
        Assert.Equal("P-1M40DT-1.5S", Value("ivneg").GetString());
        Assert.Equal("3q2+7w==", Value("bin").GetString());
        Assert.Equal(JsonValueKind.Object, Value("jb").ValueKind);
        Assert.Equal("2.5", Value("jb").GetProperty("a")[1].GetRawText());
        Assert.Equal(JsonValueKind.Null, Value("jb").GetProperty("b").ValueKind);
        Assert.Equal(2, Value("js").GetArrayLength());
        Assert.Equal("12:34:56.789", Value("tm").GetString());
        Assert.Equal("infinity", Value("dinf").GetString());
        Assert.Equal("-infinity", Value("tzninf").GetString());
        Assert.Equal("12.34", Value("m").GetString());
    }

    [Fact]
    public async Task Query_ArrayTypes_AsJson()
    {
        var projectRef = await NewProjectRefAsync();

        var response = await Silo.Admin.QueryAsync(projectRef, Arrays);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var columns = body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        string Value(string column) => body.GetProperty("rows")[0][columns.IndexOf(column)].GetRawText();

        Assert.Equal("[1,null,3]", Value("ints"));
        Assert.Equal("[[1,2],[3,null]]", Value("grid"));
        Assert.Equal("""["1.50",null,"2.25"]""", Value("nums"));
        Assert.Equal("""["1.5",null,"123456789012345678901234567890.5"]""", Value("bignums"));
        Assert.Equal("[true,null,false]", Value("bools"));
        Assert.Equal("[1,null]", Value("i2s"));
        Assert.Equal("[9223372036854775807,null]", Value("i8s"));
        Assert.Equal("""[1.5,"NaN",null]""", Value("f8s"));
        Assert.Equal("""["a",null,"b,c"]""", Value("texts"));
        Assert.Equal("""["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",null]""", Value("uuids"));
        Assert.Equal("""["2024-02-29",null]""", Value("dates"));
        Assert.Equal("""["2024-02-29T12:34:56.123456Z",null]""", Value("tzs"));
        Assert.Equal("""["2024-02-29T12:34:56",null]""", Value("tss"));
        Assert.Equal("""["P1Y2DT3S",null]""", Value("ivs"));
        Assert.Equal("""["3q0=",null]""", Value("bins"));
        Assert.Equal("""[{"a": 1},null]""", Value("jbs"));
        Assert.Equal("[]", Value("empty"));
    }

    [Theory]
    [InlineData("1 year 2 mons 3 days 04:05:06.789")]
    [InlineData("-1 year -2 mons +3 days -04:05:06.000001")]
    [InlineData("0")]
    [InlineData("27 hours")]
    [InlineData("-0.5 seconds")]
    [InlineData("178000000 years")]
    [InlineData("1 day -1 microsecond")]
    public async Task Query_Interval_JsonIsPostgresIso8601AndReadsBack(string interval)
    {
        var projectRef = await NewProjectRefAsync();

        var response = await Silo.Admin.TransactionAsync(projectRef, new
        {
            statements = new object[]
            {
                new { sql = "set local intervalstyle = iso_8601" },
                new { sql = "select $1::interval, $1::interval::text", parameters = new object[] { interval } },
            },
        });
        var row = (await response.JsonAsync()).GetProperty("results")[1].GetProperty("rows")[0];
        var iso = row[0].GetString();
        var back = await (await Silo.Admin.QueryAsync(projectRef, "select $1 = $2::interval", new { type = "interval", value = iso }, interval)).JsonAsync();

        Assert.Equal(row[1].GetString(), iso);
        Assert.True(back.GetProperty("rows")[0][0].GetBoolean());
    }

    [Fact]
    public async Task Query_TypedJsonParameters_RoundTripToTheSameJson()
    {
        var projectRef = await NewProjectRefAsync();
        const string parameters = """
            [{"type":"bytea","value":"3q2+7w=="}, {"type":"jsonb","value":{"a":[1,2.5,"x"],"b":null}}, {"type":"uuid","value":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
             {"type":"date","value":"2024-02-29"}, {"type":"timestamptz","value":"2024-02-29T12:34:56.123456+02:00"}, {"type":"timestamp","value":"2024-02-29T12:34:56.5"},
             {"type":"interval","value":"P1Y2M3DT4H5M6.789S"}, {"type":"numeric","value":"123456789012345678901234567890.123456789"}, {"type":"float8","value":"NaN"},
             {"type":"int2","value":5}, {"type":"text[]","value":["a",null]}, {"type":"uuid[]","value":["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",null]},
             {"type":"jsonb[]","value":[{"a":1},null]}, {"type":"interval[]","value":["P1D",null]}, {"type":"bytea[]","value":["3q0=",null]}, {"type":"time","value":"12:34:56.789"},
             {"type":"numeric","value":1.50}, {"type":"json","value":[1,"two"]}, {"type":"float4","value":-1.5}, {"type":"bool","value":false}, {"type":"int8","value":-9223372036854775808},
             {"type":"timestamptz","value":"infinity"}, {"type":"date[]","value":["2024-01-01",null]}, {"type":"numeric[]","value":[1,"1e40",null]}, {"type":"text","value":null}]
            """;

        var response = await Silo.Admin.PostRawAsync(projectRef, "query", $$"""{"sql":"select {{string.Join(", ", Enumerable.Range(1, 25).Select(i => i is 8 or 24 ? $"${i}::numeric{(i == 24 ? "[]" : string.Empty)}" : $"${i}"))}}","parameters":{{parameters}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var row = body.GetProperty("rows")[0].EnumerateArray().Select(v => v.GetRawText()).ToList();
        string[] expected =
        [
            "\"3q2+7w==\"", """{"a": [1, 2.5, "x"], "b": null}""", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "\"2024-02-29\"", "\"2024-02-29T10:34:56.123456Z\"",
            "\"2024-02-29T12:34:56.5\"", "\"P1Y2M3DT4H5M6.789S\"", "\"123456789012345678901234567890.123456789\"", "\"NaN\"", "5", """["a",null]""",
            """["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",null]""", """[{"a": 1},null]""", """["P1D",null]""", """["3q0=",null]""", "\"12:34:56.789\"",
            "\"1.50\"", """[1,"two"]""", "-1.5", "false", "-9223372036854775808", "\"infinity\"", """["2024-01-01",null]""",
            """["1","10000000000000000000000000000000000000000",null]""", "null",
        ];
        Assert.Equal(expected, row);
        var types = body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("type").GetString()).ToList();
        Assert.Equal(["bytea", "jsonb", "uuid", "date", "timestamp with time zone", "timestamp without time zone", "interval"], types.Take(7));
        Assert.Equal("smallint", types[9]);
    }

    [Fact]
    public async Task Query_JsonNumbersPastDecimalAndDouble_StayExact()
    {
        var projectRef = await NewProjectRefAsync();

        var response = await Silo.Admin.PostRawAsync(projectRef, "query", """
            {"sql":"select $1::numeric, $2::numeric, $3, $4::float8, $5, $6::numeric[], $7::numeric",
             "parameters":[0.1234567890123456789012345678901234, 1e400, 12345678901234567890, 1.5, 2.50, [1, 1e30, null], -0.0000000000000000000000000000000000001]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = (await response.JsonAsync()).GetProperty("rows")[0];
        Assert.Equal("0.1234567890123456789012345678901234", row[0].GetString());
        Assert.Equal("1" + new string('0', 400), row[1].GetString());
        Assert.Equal("12345678901234567890", row[2].GetString());
        Assert.Equal("1.5", row[3].GetRawText());
        Assert.Equal("2.50", row[4].GetString());
        Assert.Equal("""["1","1000000000000000000000000000000",null]""", row[5].GetRawText());
        Assert.Equal("-0.0000000000000000000000000000000000001", row[6].GetString());
    }

    [Theory]
    [InlineData("""{"type":"uuid","value":"nope"}""", "parameters[0].value: 'nope' is not a valid uuid value: expected a UUID string.")]
    [InlineData("""{"type":"point","value":"(1,2)"}""", "parameters[0].type: 'point' is not a supported parameter type: use one of text, bool, int2, int4, int8, float4, float8, numeric, uuid, date, time, timestamp, timestamptz, interval, bytea, json, jsonb (or any of them with []), or send a string and cast it in SQL ($1::point).")]
    [InlineData("""{"type":"bytea","value":"not base64!"}""", "parameters[0].value: bytea values must be base64.")]
    [InlineData("""{"value":1}""", "parameters[0].type: a PostgreSQL type name is required: one of text, bool, int2, int4, int8, float4, float8, numeric, uuid, date, time, timestamp, timestamptz, interval, bytea, json, jsonb (or any of them with []).")]
    [InlineData("""{"type":"int2"}""", "parameters[0].value: the value is required (use null for SQL NULL).")]
    [InlineData("""{"type":"int2","value":70000}""", "parameters[0].value: int2 values must be an integer from -32768 to 32767.")]
    [InlineData("""{"type":"interval","value":"1 day"}""", "parameters[0].value: '1 day' is not a valid interval value: expected an ISO 8601 duration (\"P1Y2M3DT4H5M6.5S\").")]
    [InlineData("""{"type":"date[]","value":["2024-01-01","2024-13-01"]}""", "parameters[0].value[1]: '2024-13-01' is not a valid date value: expected \"yyyy-MM-dd\", \"infinity\" or \"-infinity\".")]
    [InlineData("""{"type":"numeric","value":"12abc"}""", "parameters[0].value: numeric values must be a number or a string of one (\"12.50\", \"1e40\", \"NaN\").")]
    [InlineData("""{"type":"timestamp","value":"2024-01-01T00:00:00Z"}""", "parameters[0].value: '2024-01-01T00:00:00Z' is not a valid timestamp value: expected an ISO 8601 date-time without an offset (\"2024-05-01T12:30:00.123456\").")]
    [InlineData("""[1,"a"]""", "parameters[0]: array elements must all be numbers, all strings or all booleans; for other element types use a typed parameter such as {\"type\":\"uuid[]\",\"value\":[…]}.")]
    public async Task Query_BadParameter_Returns400NamingTheParameter(string parameter, string detail)
    {
        var projectRef = await NewProjectRefAsync();

        var response = await Silo.Admin.PostRawAsync(projectRef, "query", $$"""{"sql":"select $1","parameters":[{{parameter}}]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Query_ColumnOfAnUncarriedType_Returns400SayingHowToCastIt()
    {
        var projectRef = await NewProjectRefAsync();
        var postgres = fixture.Conduit.Project(projectRef).Postgres;

        var response = await Silo.Admin.QueryAsync(projectRef, "select point(1, 2) as p");
        var error = await Assert.ThrowsAsync<ConduitException>(() => postgres.QueryAsync("select 1 as a, point(1, 2) as p"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("column 'p' has PostgreSQL type point, which Conduit does not carry. Cast it in SQL, e.g. p::text.", problem.GetProperty("detail").GetString());
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Admin.QueryAsync(projectRef, "select point(1, 2)::text as p")).StatusCode);
    }

    private async Task<string> NewProjectRefAsync()
    {
        var projectRef = SiloApi.NewRef("v");
        await Silo.CreateProjectWithPostgresAsync(projectRef);
        return projectRef;
    }

    private async Task<Conduit.Client.PostgresClient> NewProjectAsync() => fixture.Conduit.Project(await NewProjectRefAsync()).Postgres;
}
