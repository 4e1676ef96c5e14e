namespace Conduit.Client;

/// <summary>How a frontend reaches the Conduit cluster.</summary>
public sealed class ConduitClientOptions
{
    /// <summary>Silo gateway endpoints as <c>host:port</c>. Default <c>127.0.0.1:30000</c> (the embedded silo).</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>The cluster id the silos use. Default <c>conduit</c>.</summary>
    public string ClusterId { get; set; } = "conduit";

    /// <summary>The service id the silos use. Default <c>conduit</c>.</summary>
    public string ServiceId { get; set; } = "conduit";

    /// <summary>
    /// How often the client re-reads its gateway list and retries gateways it found dead. Default 5 s
    /// (Orleans' default is 1 min): after a silo restarts, the client uses it again within seconds. A
    /// gateway that fails is dropped at once either way; calls move to the others.
    /// </summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
