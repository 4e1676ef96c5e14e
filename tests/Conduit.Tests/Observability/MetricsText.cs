using System.Globalization;
using System.Text.RegularExpressions;

namespace Conduit.Tests.Observability;

/// <summary>Reads samples out of a Prometheus text exposition.</summary>
public static partial class MetricsText
{
    /// <summary>The sample lines of <paramref name="family"/> (exact name) whose labels include every one of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<string> Samples(string exposition, string family, params string[] labels) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();

    /// <summary>The value of the single sample of <paramref name="family"/> with <paramref name="labels"/>, or null when there is none.</summary>
    public static double? Value(string exposition, string family, params string[] labels)
    {
        var samples = Samples(exposition, family, labels);
        if (samples.Count == 0)
        {
            return null;
        }

        Assert.True(samples.Count == 1, $"expected one {family} sample with {string.Join(",", labels)}, got:\n{string.Join("\n", samples)}");
        return double.Parse(samples[0][(samples[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Every distinct metric family name (from the # TYPE lines).</summary>
    public static IReadOnlySet<string> Families(string exposition) =>
        TypeLine().Matches(exposition).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
