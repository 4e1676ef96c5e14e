using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Conduit.Bench.Infrastructure;

/// <summary>
/// The Conduit silo (src/Silo, built in the benchmark's configuration) as its own process: own ports,
/// own admin key, in-memory registry.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, string baseUrl, int gatewayPort, string adminKey)
    {
        _process = process;
        BaseUrl = baseUrl;
        GatewayPort = gatewayPort;
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    /// <summary>The REST base address.</summary>
    public string BaseUrl { get; }

    /// <summary>The Orleans gateway port clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The operating-system process id (for memory readings).</summary>
    public int ProcessId => _process.Id;

    /// <summary>An HTTP client carrying the admin key.</summary>
    public HttpClient Admin { get; }

    /// <summary>Starts the silo with <paramref name="settings"/> (configuration keys in environment form, e.g. <c>Conduit__IdleCleanup__IdleTimeout</c>) and waits for its health route.</summary>
    public static async Task<SiloProcess> StartAsync(StateDirectory state, string name, IDictionary<string, string> settings)
    {
        var assembly = BuildInfo.SiloAssembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The silo is not built at {assembly}: build it with `dotnet build -c {BuildInfo.Configuration} src/Silo` (building the benchmark project builds it too).");
        }

        var dir = state.Sub("silo-" + name);
        var httpPort = FreePorts.Next();
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var adminKey = "bench-admin-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["CONDUIT_SILO_PORT"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["CONDUIT_GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["CONDUIT_ADMIN_KEY"] = adminKey,
            ["Conduit__ClusterId"] = "bench-" + name,
            ["DATABASE_URL"] = null,
            ["PG_META_CRYPTO_KEY"] = null,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start("dotnet", [assembly], Path.Combine(state.Path, $"silo-{name}.log"), environment, dir);
        var silo = new SiloProcess(process, $"http://127.0.0.1:{httpPort}", gatewayPort, adminKey);
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resident memory of the silo process in bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        return 0;
    }

    /// <summary>The last lines of the silo's log.</summary>
    public string Tail(int lines = 40) => _process.Tail(lines);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} while starting:\n{_process.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/api/platform/health", UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The silo did not answer /api/platform/health within {timeout.TotalSeconds:0} s:\n{_process.Tail()}");
    }
}
