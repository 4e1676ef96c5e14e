using System.ComponentModel.DataAnnotations;
using Conduit.Model;
using Microsoft.Extensions.Options;

namespace Conduit.Options;

/// <summary>Validates every tier at start; each failure names the configuration key and its value.</summary>
public sealed class TierOptionsValidator : IValidateOptions<TierOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var tier in Tiers.All)
        {
            var limits = options.For(tier);
            var prefix = $"{TierOptions.Section}:{tier}";
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(limits, new ValidationContext(limits), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            if (limits.MinPoolSize > limits.MaxPoolSize)
            {
                failures.Add($"{prefix}:MinPoolSize ({limits.MinPoolSize}) must not exceed {prefix}:MaxPoolSize ({limits.MaxPoolSize}).");
            }

            if (limits.Burst * 10L < limits.RequestsPerSecond)
            {
                failures.Add($"{prefix}:Burst ({limits.Burst}) must be at least a tenth of {prefix}:RequestsPerSecond ({limits.RequestsPerSecond}), the tokens added every 100 ms.");
            }

            if (!Enum.IsDefined(limits.Priority))
            {
                failures.Add($"{prefix}:Priority ({limits.Priority}) must be Low, Medium, High or Critical.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
