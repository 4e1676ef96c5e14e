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
}
