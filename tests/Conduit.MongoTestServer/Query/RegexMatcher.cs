using System.Text.RegularExpressions;
using Conduit.MongoTestServer.Commands;
using MongoDB.Bson;

namespace Conduit.MongoTestServer.Query;

/// <summary>Evaluates MongoDB regular expressions (<c>$regex</c> or BSON regex values) with .NET's engine.</summary>
/// <remarks>PCRE and .NET agree on the simple patterns tests use; exotic PCRE syntax is not translated.</remarks>
internal static class RegexMatcher
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(1);

    /// <summary>Builds a regex from a <c>$regex</c> operand and optional <c>$options</c>.</summary>
    public static Regex Create(BsonValue pattern, BsonValue? options)
    {
        var (text, flags) = pattern switch
        {
            BsonRegularExpression regex => (regex.Pattern, regex.Options),
            BsonString s => (s.Value, string.Empty),
            _ => throw ServerErrors.BadValue("$regex has to be a string"),
        };

        if (options is BsonString extra)
        {
            flags += extra.Value;
        }

        var regexOptions = RegexOptions.CultureInvariant;
        foreach (var flag in flags)
        {
            regexOptions |= flag switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                'u' => RegexOptions.None,
                _ => throw ServerErrors.BadValue($"invalid flag in regex options: {flag}"),
            };
        }

        try
        {
            return new Regex(text, regexOptions, _timeout);
        }
        catch (ArgumentException ex)
        {
            throw ServerErrors.BadValue($"Regular expression is invalid: {ex.Message}");
        }
    }

    /// <summary>Tells whether a value is a string (or symbol) the regex matches.</summary>
    public static bool IsMatch(Regex regex, BsonValue value) => value switch
    {
        BsonString s => regex.IsMatch(s.Value),
        BsonSymbol symbol => regex.IsMatch(symbol.Name),
        _ => false,
    };
}
