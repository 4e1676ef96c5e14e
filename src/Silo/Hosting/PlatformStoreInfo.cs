namespace Conduit.Silo.Hosting;

/// <summary>Which platform store the silo uses: <c>memory</c> (embedded default) or <c>postgresql</c>.</summary>
/// <param name="Kind">The store's kind.</param>
public sealed record PlatformStoreInfo(string Kind);
