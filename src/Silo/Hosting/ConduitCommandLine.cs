using Conduit.Silo.Commands;

namespace Conduit.Silo.Hosting;

/// <summary>The silo's command line: no verb runs the silo; <c>migrate</c> and <c>rotate-key</c> are admin commands.</summary>
public static class ConduitCommandLine
{
    /// <summary>Runs the verb in <paramref name="args"/> and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        switch (verb)
        {
            case null:
                return await ConduitApp.RunAsync(args).ConfigureAwait(false);
            case "migrate":
                return await MigrateCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            case "rotate-key":
                return await RotateKeyCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{verb}'.\n{Usage}").ConfigureAwait(false);
                return 2;
        }
    }

    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        usage: Conduit.Silo [--urls URL] [--Key=Value ...]   run a silo (settings as in README.md)
               Conduit.Silo migrate                          apply the platform schema migrations (DATABASE_URL)
               Conduit.Silo rotate-key                       re-encrypt stored connection strings (PG_META_CRYPTO_KEY, PG_META_CRYPTO_KEY_NEW)
               Conduit.Silo --help                           this text
        """;
}
