using System.ComponentModel.DataAnnotations;
using Conduit.Model;
using Microsoft.Extensions.Options;

namespace Conduit.Options;

/// <summary>Validates each database type's breaker settings at start, naming the key.</summary>
public sealed class CircuitBreakerOptionsValidator : IValidateOptions<CircuitBreakerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var type in DatabaseTypes.All)
        {
            var settings = options.For(type);
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"{CircuitBreakerOptions.Section}:{type}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
