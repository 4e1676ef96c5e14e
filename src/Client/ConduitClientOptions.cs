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

    /// <summary>
    /// How long a call may wait for its answer. Default 3 min: longer than the longest call the default
    /// tiers allow (ENTERPRISE: 120 s query timeout, plus admission, queue and connect waits), so a legal
    /// slow query ends with its own result or <c>QUERY_TIMEOUT</c>, never with Orleans' 30 s default.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Redis pipelining: how many single-command calls to one project may be in flight from this frontend
    /// before further commands wait and travel together, up to <see cref="RedisMaxCoalescedCommands"/> per
    /// batch call, when one returns. Default 4; 0 sends every command as its own call. Each command keeps
    /// its own reply or error; commands on a named database are never coalesced.
    /// </summary>
    public int RedisMaxInFlightCalls { get; set; } = 4;

    /// <summary>Most commands one coalesced batch call carries. Default 100; at most the silo's <c>Conduit:DataPlane:RedisMaxBatchCommands</c> (1000).</summary>
    public int RedisMaxCoalescedCommands { get; set; } = 100;
}
