namespace Conduit.MongoTestServer;

/// <summary>
/// A failure that <see cref="MongoWireTestServer"/> simulates on demand, switched through
/// <see cref="MongoWireTestServer.Fault"/>.
/// </summary>
public enum MongoFault
{
    /// <summary>Behave normally: answer every request.</summary>
    None,

    /// <summary>
    /// The server is going away: open connections are closed (FIN) and every new connection is accepted
    /// and closed at once, so the driver's handshake and heartbeats fail.
    /// </summary>
    Refuse,

    /// <summary>
    /// Open connections are reset (RST, linger 0) and every new connection is reset right after it is
    /// accepted, so the driver sees "connection reset by peer".
    /// </summary>
    Reset,

    /// <summary>
    /// Every connection, open or new, keeps reading requests but never answers them, so the driver's
    /// operations run into their own timeout or cancellation. Requests read while stalled are dropped.
    /// </summary>
    Stall,
}
