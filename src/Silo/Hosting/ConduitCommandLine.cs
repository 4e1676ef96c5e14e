using Conduit.Silo.Commands;

namespace Conduit.Silo.Hosting;

/// <summary>The silo's command line: no verb runs the silo; <c>migrate</c> and <c>rotate-key</c> are admin commands.</summary>
public static class ConduitCommandLine
{
    /// <summary>Runs the verb in <paramref name="args"/> and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
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
                await Console.Error.WriteLineAsync($"Unknown command '{verb}'. Commands: (none) runs the silo; migrate; rotate-key.").ConfigureAwait(false);
                return 2;
        }
    }
}
