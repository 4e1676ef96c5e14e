using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Conduit.Client;

/// <summary>Registers the Conduit client in a frontend's services.</summary>
public static class ConduitClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client connected to the Conduit silos' gateways and <see cref="IConduit"/>, the
    /// typed facade (<c>conduit.Project("proj-1").Postgres.QueryAsync(...)</c>).
    /// </summary>
    public static IServiceCollection AddConduitClient(this IServiceCollection services, Action<ConduitClientOptions>? configure = null)
    {
        var options = new ConduitClientOptions();
        configure?.Invoke(options);
        if (options.Gateways.Count == 0)
        {
            options.Gateways.Add("127.0.0.1:30000");
        }

        var endpoints = options.Gateways.Select(Parse).ToArray();
        services.AddOrleansClient(client =>
        {
            client.UseStaticClustering(endpoints);
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
            client.AddOutgoingGrainCallFilter<ClusterFailureFilter>();
        });
        Validate(options);
        services.AddSingleton<IConduit>(provider => new ConduitClient(provider.GetRequiredService<IClusterClient>(), options));
        return services;
    }

    /// <summary>Rejects settings the client cannot work with, naming the setting.</summary>
    internal static void Validate(ConduitClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RedisMaxInFlightCalls is < 0 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RedisMaxInFlightCalls, "RedisMaxInFlightCalls must be 0 (no pipelining) to 10000.");
        }

        if (options.RedisMaxCoalescedCommands is < 2 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RedisMaxCoalescedCommands, "RedisMaxCoalescedCommands must be 2 to 1000 (the silo's default batch limit).");
        }

        if (options.ResponseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ResponseTimeout, "ResponseTimeout must be positive.");
        }
    }

    private static IPEndPoint Parse(string gateway)
    {
        var separator = gateway.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(gateway.AsSpan(separator + 1), System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"Gateway '{gateway}' must be host:port.", nameof(gateway));
        }

        var host = gateway[..separator];
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First();
        return new IPEndPoint(address, port);
    }
}
