using Conduit.Bench.Cli;

return await BenchCommand.RunAsync(args);
