using System.Net;
using System.Net.Sockets;

namespace Conduit.Bench.Infrastructure;

/// <summary>Free loopback TCP ports for the servers the benchmark starts.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port nothing listens on now and that this run has not handed out before.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
