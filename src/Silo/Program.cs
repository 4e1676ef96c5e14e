using Conduit.Silo.Hosting;

return await ConduitCommandLine.RunAsync(args);
