using Conduit.Errors;
using Conduit.Registry;
using Conduit.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conduit.Silo.Commands;

/// <summary>
/// <c>conduit rotate-key</c>: re-seals every stored connection string from the key in
/// <c>PG_META_CRYPTO_KEY</c> to the key in <c>PG_META_CRYPTO_KEY_NEW</c> (or the variable named by
/// <c>--new-key-env</c>), in one transaction. Exit codes: 0 rotated, 1 the database failed or a stored
/// value does not open under the current key (nothing changed), 2 bad arguments or configuration.
/// </summary>
/// <remarks>Keys are read from variables only, never from arguments (which <c>ps</c> shows), and never printed.</remarks>
public static class RotateKeyCommand
{
    /// <summary>The variable that holds the new key unless <c>--new-key-env</c> names another.</summary>
    public const string NewKeyVariable = "PG_META_CRYPTO_KEY_NEW";

    /// <summary>The command's help text.</summary>
    public const string Usage = """
        usage: conduit rotate-key [--new-key-env NAME]
          Re-encrypts every stored connection string from the key in PG_META_CRYPTO_KEY to the key in
          PG_META_CRYPTO_KEY_NEW (or in the variable NAME), in one transaction, in the platform PostgreSQL
          named by DATABASE_URL. Nothing changes unless every stored value opens under the current key.
          Afterwards set PG_META_CRYPTO_KEY to the new key and restart the silos.
        """;

    /// <summary>Runs the command with the process environment; <paramref name="args"/> are those after <c>rotate-key</c>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, output, error, Environment.GetEnvironmentVariable, CancellationToken.None);

    /// <summary>Runs the command, reading variables through <paramref name="environment"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(environment);

        if (args is ["--help" or "-h"])
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        if (!TryReadNewKeyVariable(args, out var newKeyVariable, out var argumentProblem))
        {
            await error.WriteLineAsync($"rotate-key: {argumentProblem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        string connectionString;
        CryptoKey currentKey;
        CryptoKey newKey;
        try
        {
            connectionString = PlatformConnectionString.Parse(environment(PlatformConnectionString.EnvironmentVariable));
            currentKey = CryptoKey.Parse(environment(CryptoKey.EnvironmentVariable), CryptoKey.EnvironmentVariable);
            newKey = CryptoKey.Parse(environment(newKeyVariable), newKeyVariable);
        }
        catch (ConduitException ex)
        {
            await error.WriteLineAsync($"rotate-key: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var target = PlatformConnectionString.Describe(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var registry = new PostgresProjectRegistry(dataSource, NullLogger<PostgresProjectRegistry>.Instance);
        int count;
        try
        {
            count = await registry.RotateKeyAsync(new SecretProtector(currentKey), new SecretProtector(newKey), cancellationToken).ConfigureAwait(false);
        }
        catch (ConduitException ex)
        {
            var where = ex.Code == ErrorCodes.PlatformUnavailable ? $" ({target})" : string.Empty;
            await error.WriteLineAsync($"rotate-key: {ex.Code}{where}: {ex.Message}").ConfigureAwait(false);
            return ex.Code == ErrorCodes.InvalidRequest ? 2 : 1;
        }

        await output.WriteLineAsync($"re-encrypted {count} connection strings in {target}: they are now sealed with key {newKey.Id} (was {currentKey.Id}).").ConfigureAwait(false);
        await output.WriteLineAsync($"next: set {CryptoKey.EnvironmentVariable} to the value of {newKeyVariable} and restart the silos; until then they cannot open pools they have not opened yet.").ConfigureAwait(false);
        return 0;
    }

    private static bool TryReadNewKeyVariable(string[] args, out string variable, out string problem)
    {
        variable = NewKeyVariable;
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            string? value;
            if (args[i] == "--new-key-env")
            {
                value = i + 1 < args.Length ? args[++i] : null;
            }
            else if (args[i].StartsWith("--new-key-env=", StringComparison.Ordinal))
            {
                value = args[i]["--new-key-env=".Length..];
            }
            else
            {
                // Not echoed: someone may have passed a key here by mistake.
                problem = "unexpected argument; keys are read from environment variables, never from the command line.";
                return false;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                problem = "--new-key-env needs the name of an environment variable.";
                return false;
            }

            variable = value;
        }

        return true;
    }
}
