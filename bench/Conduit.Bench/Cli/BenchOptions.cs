using System.Globalization;

namespace Conduit.Bench.Cli;

/// <summary>The command line: <c>&lt;scenario&gt; [--quick] [--projects N] [--frontends N] [--tenants N,N] [--duration S] [--out DIR]</c>.</summary>
internal sealed record BenchOptions
{
    /// <summary>The scenario name, <c>all</c> or <c>list</c>.</summary>
    public string Scenario { get; init; } = "list";

    /// <summary>Seconds-long runs that only prove the code works.</summary>
    public bool Quick { get; init; }

    /// <summary>Tenant projects for <c>connections</c> (T).</summary>
    public int? Projects { get; init; }

    /// <summary>Frontends for <c>connections</c> (F).</summary>
    public int? Frontends { get; init; }

    /// <summary>Activation counts for <c>tenants</c>.</summary>
    public IReadOnlyList<int>? Tenants { get; init; }

    /// <summary>Seconds per measured cell, overriding the scenario's default.</summary>
    public double? Duration { get; init; }

    /// <summary>The Conduit client's <c>RedisMaxInFlightCalls</c> in the Redis scenarios (0 turns pipelining off); null keeps the client's default.</summary>
    public int? RedisInFlight { get; init; }

    /// <summary>Where results go; default docs/benchmarks (docs/benchmarks/quick with --quick).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The arguments as given, for the recorded command.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a usage hint on a mistake.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions { Arguments = args };
        string? scenario = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--projects":
                    options = options with { Projects = PositiveInt(arg, Value(args, ref i)) };
                    break;
                case "--frontends":
                    options = options with { Frontends = PositiveInt(arg, Value(args, ref i)) };
                    break;
                case "--tenants":
                    options = options with { Tenants = Value(args, ref i).Split(',').Select(v => PositiveInt(arg, v)).ToArray() };
                    break;
                case "--duration":
                    options = options with { Duration = double.TryParse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new ArgumentException("--duration: a number of seconds above 0.") };
                    break;
                case "--redis-in-flight":
                    options = options with { RedisInFlight = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 10_000 ? n : throw new ArgumentException("--redis-in-flight: a whole number from 0 to 10000.") };
                    break;
                case "--out":
                    options = options with { OutputDirectory = Value(args, ref i) };
                    break;
                case "-h" or "--help":
                    scenario = "list";
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new ArgumentException($"Unknown option {arg}.");
                    }

                    if (scenario is not null)
                    {
                        throw new ArgumentException($"One scenario at a time (got '{scenario}' and '{arg}'); use 'all' for every scenario.");
                    }

                    scenario = arg;
                    break;
            }
        }

        return options with { Scenario = scenario ?? "list" };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }

        i++;
        return args[i];
    }

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: '{value}' is not a whole number above 0.");
}
