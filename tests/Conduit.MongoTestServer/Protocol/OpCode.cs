namespace Conduit.MongoTestServer.Protocol;

/// <summary>Wire-protocol operation codes the test server reads or writes.</summary>
internal enum OpCode
{
    /// <summary>Legacy reply to an OP_QUERY.</summary>
    Reply = 1,

    /// <summary>Legacy query, still used by drivers for the first <c>isMaster</c> of a connection.</summary>
    Query = 2004,

    /// <summary>Compressed wrapper; never negotiated by this server.</summary>
    Compressed = 2012,

    /// <summary>The extensible message format every modern command travels in.</summary>
    Msg = 2013,
}
