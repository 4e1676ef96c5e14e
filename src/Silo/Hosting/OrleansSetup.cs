using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Conduit.Options;
using Conduit.Registry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Conduit.Silo.Hosting;

/// <summary>
/// Configures the Orleans silo inside the Conduit host. Without <c>DATABASE_URL</c>: the embedded
/// default, one silo with localhost clustering and in-memory reminders. With it: cluster mode, the
/// ADO.NET providers on the platform PostgreSQL for membership, reminders and grain state (tables from
/// migrations 004–006), failure detection and the activation rebalancer tuned as in
/// <see cref="ClusterDefaults"/>.
/// </summary>
/// <remarks>
/// Ports come from <c>CONDUIT_SILO_PORT</c> (silo-to-silo, default 11111) and <c>CONDUIT_GATEWAY_PORT</c>
/// (clients, default 30000); HTTP from <c>ASPNETCORE_URLS</c> or <c>--urls</c> (see <see cref="ConduitApp"/>).
/// </remarks>
public static class OrleansSetup
{
    /// <summary>The variable (or configuration key) of the silo-to-silo port.</summary>
    public const string SiloPortKey = "CONDUIT_SILO_PORT";

    /// <summary>The variable (or configuration key) of the client gateway port.</summary>
    public const string GatewayPortKey = "CONDUIT_GATEWAY_PORT";

    /// <summary>The variable (or configuration key) of the address advertised to the other silos.</summary>
    public const string SiloAddressKey = "CONDUIT_SILO_ADDRESS";

    /// <summary>The service id every Conduit silo and client shares; state in the tables is keyed by it.</summary>
    public const string ServiceId = "conduit";

    /// <summary>The configuration key of the cluster id (default <c>conduit</c>).</summary>
    public const string ClusterIdKey = "Conduit:ClusterId";

    /// <summary>Adds the Orleans silo to <paramref name="builder"/>; throws <see cref="StartupException"/> for bad settings.</summary>
    public static void AddConduitOrleans(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var siloPort = Port(config, SiloPortKey, 11111);
        var gatewayPort = Port(config, GatewayPortKey, 30000);
        var clusterId = config[ClusterIdKey] is { Length: > 0 } id ? id : "conduit";
        var reminderPeriod = config.GetValue<TimeSpan?>($"{IdleCleanupOptions.Section}:ReminderPeriod");
        var databaseUrl = config[PlatformConnectionString.EnvironmentVariable];
        var clustered = !string.IsNullOrWhiteSpace(databaseUrl);
        var mode = clustered ? ReadModeOptions(config) : new ClusterModeOptions();
        if (clustered)
        {
            var platform = ParsePlatform(databaseUrl!);
            builder.Services.AddSingleton(_ => new OrleansDatabase(platform, mode.OrleansPoolSize));

            // First in the service list: hosted services start in registration order, and the silo's
            // own hosted service (added by whichever UseOrleans call came first) must not start before it.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, OrleansSchemaCheck>());
        }

        builder.UseOrleans(silo =>
        {
            if (clustered)
            {
                ConfigureCluster(silo, config, mode, clusterId, siloPort, gatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ServiceId, clusterId: clusterId);
                silo.UseInMemoryReminderService();
            }

            // Grain calls from the REST API must outlive the longest legal data call (plus a margin for
            // scheduling), or Orleans would fail a query that is still running.
            silo.Services.AddOptions<SiloMessagingOptions>()
                .Configure<IOptions<TierOptions>, IOptions<DataPlaneOptions>>((messaging, tiers, dataPlane) =>
                    messaging.ResponseTimeout = tiers.Value.LongestCall(dataPlane.Value) + ResponseTimeoutMargin);

            if (reminderPeriod is { } period && period < TimeSpan.FromMinutes(1))
            {
                // Orleans refuses reminders shorter than its minimum; a configured shorter period lowers it.
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = period);
            }
        });
    }

    /// <summary>What a grain call may take beyond the longest data call before Orleans gives up on it.</summary>
    public static readonly TimeSpan ResponseTimeoutMargin = TimeSpan.FromSeconds(30);

    private static void ConfigureCluster(ISiloBuilder silo, ConfigurationManager config, ClusterModeOptions mode, string clusterId, int siloPort, int gatewayPort)
    {
        var address = AdvertisedAddress(config, mode);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = ServiceId;
            o.ClusterId = clusterId;
        });
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));

        silo.UseAdoNetClustering(options => options.Configure<OrleansDatabase>((o, db) =>
        {
            o.Invariant = OrleansDatabase.Invariant;
            o.DataSource = db.DataSource;
        }));
        silo.UseAdoNetReminderService(options => options.Configure<OrleansDatabase>((o, db) =>
        {
            o.Invariant = OrleansDatabase.Invariant;
            o.DataSource = db.DataSource;
        }));
        silo.AddAdoNetGrainStorageAsDefault(options => options.Configure<OrleansDatabase>((o, db) =>
        {
            o.Invariant = OrleansDatabase.Invariant;
            o.DataSource = db.DataSource;
        }));

        silo.Configure<ClusterMembershipOptions>(ClusterDefaults.Membership);
        silo.Services.Configure<ClusterMembershipOptions>(config.GetSection($"{ClusterModeOptions.Section}:Membership"));
        if (mode.Rebalance)
        {
#pragma warning disable ORLEANSEXP002 // The rebalancer is experimental in Orleans 10.4; measured in docs/BENCHMARKS.md.
            silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
            silo.Configure<ActivationRebalancerOptions>(ClusterDefaults.Rebalancer);
            silo.Services.Configure<ActivationRebalancerOptions>(config.GetSection($"{ClusterModeOptions.Section}:Rebalancer"));
        }
    }

    private static ClusterModeOptions ReadModeOptions(ConfigurationManager config)
    {
        var mode = new ClusterModeOptions();
        try
        {
            config.GetSection(ClusterModeOptions.Section).Bind(mode);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException($"{ClusterModeOptions.Section}: {e.Message}");
        }

        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(mode, new ValidationContext(mode), errors, validateAllProperties: true))
        {
            throw new StartupException(string.Join(" ", errors.Select(e => $"{ClusterModeOptions.Section}:{string.Join(',', e.MemberNames)}: {e.ErrorMessage}")));
        }

        return mode;
    }

    private static IPAddress AdvertisedAddress(ConfigurationManager config, ClusterModeOptions mode)
    {
        var (key, text) = config[SiloAddressKey] is { Length: > 0 } fromVariable
            ? (SiloAddressKey, fromVariable)
            : ($"{ClusterModeOptions.Section}:{nameof(ClusterModeOptions.AdvertisedAddress)}", mode.AdvertisedAddress);
        return IPAddress.TryParse(text, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
            ? address
            : throw new StartupException($"{key} must be the IP address other silos reach this one at (e.g. 10.0.0.5), not '{text}'.");
    }

    private static int Port(ConfigurationManager config, string key, int fallback)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new StartupException($"{key} must be a port number from 1 to 65535, not '{text}'.");
    }

    private static string ParsePlatform(string databaseUrl)
    {
        try
        {
            return PlatformConnectionString.Parse(databaseUrl);
        }
        catch (Errors.ConduitException e)
        {
            throw new StartupException(e.Message);
        }
    }
}
