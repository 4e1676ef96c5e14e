using System.Text.RegularExpressions;

namespace Conduit.Model;

/// <summary>Rules for project references (the grain key).</summary>
public static partial class ProjectRefs
{
    /// <summary>What a valid ref looks like, for error messages.</summary>
    public const string Rule = "3 to 63 characters: lower-case letters, digits and '-', starting with a letter or digit";

    /// <summary>True when <paramref name="value"/> is a valid project reference.</summary>
    public static bool IsValid(string? value) => value is not null && RefPattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex RefPattern();
}
