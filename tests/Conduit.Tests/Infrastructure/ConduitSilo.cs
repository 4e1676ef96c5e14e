using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Conduit.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Tests.Infrastructure;

/// <summary>A real Conduit silo (Orleans + REST API) in this process, on free loopback ports.</summary>
public sealed class ConduitSilo : IAsyncDisposable
{
    private ConduitSilo(WebApplication app, string baseUrl, string adminKey, int gatewayPort, CapturedLogs logs)
    {
        App = app;
        BaseUrl = baseUrl;
        AdminKey = adminKey;
        GatewayPort = gatewayPort;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public string AdminKey { get; }

    public int GatewayPort { get; }

    public CapturedLogs Logs { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>A client carrying the admin key.</summary>
    public HttpClient Admin { get; }

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    /// <param name="services">Services added before the silo's own.</param>
    /// <param name="replace">Services added after the silo's own, so they replace them (a reminder table, say).</param>
    public static async Task<ConduitSilo> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, Action<IServiceCollection>? replace = null)
    {
        // A port found free can be taken by a parallel test before the silo binds it: pick new ones and retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(settings, services, replace);
            }
            catch (Exception e) when (attempt < 3 && IsAddressInUse(e))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<ConduitSilo> StartOnFreePortsAsync(IDictionary<string, string?>? settings, Action<IServiceCollection>? services, Action<IServiceCollection>? replace)
    {
        var httpPort = FreePort();
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var adminKey = "test-admin-" + Guid.NewGuid().ToString("N");
        var logs = new CapturedLogs();
        var config = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{httpPort}",
            ["CONDUIT_SILO_PORT"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONDUIT_GATEWAY_PORT"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONDUIT_ADMIN_KEY"] = adminKey,
            ["DATABASE_URL"] = null,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var app = ConduitApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            services?.Invoke(builder.Services);
        }, replace);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ConduitSilo(app, $"http://127.0.0.1:{httpPort}", adminKey, gatewayPort, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
