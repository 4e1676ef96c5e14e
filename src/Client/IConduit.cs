namespace Conduit.Client;

/// <summary>The entry point of the typed client: one handle per tenant project.</summary>
public interface IConduit
{
    /// <summary>A handle for <paramref name="projectRef"/>; cheap, no network call.</summary>
    ConduitProject Project(string projectRef);
}
