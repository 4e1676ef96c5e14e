using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Conduit.Tests.Cluster;

/// <summary>
/// One Conduit silo as its own process (<c>dotnet Conduit.Silo.dll</c> from the test's output), on free
/// loopback ports, so a test can kill it (-9), freeze it (SIGSTOP) and watch the others take over.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, string baseUrl, string adminKey, int siloPort, int gatewayPort)
    {
        _process = process;
        BaseUrl = baseUrl;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        Admin = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    /// <summary>The silo-to-silo port; the silo's address in the cluster view ends with it.</summary>
    public int SiloPort { get; }

    /// <summary>The port clients connect to.</summary>
    public int GatewayPort { get; }

    public string Endpoint => $"127.0.0.1:{SiloPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A client with the admin key.</summary>
    public HttpClient Admin { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The last <paramref name="lines"/> lines the process wrote.</summary>
    public string OutputTail(int lines) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>Starts a silo with <paramref name="environment"/> on top of fresh ports and waits until it answers its health route.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, string adminKey)
    {
        var httpPort = FreePort();
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Conduit.Silo.dll"));
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["CONDUIT_SILO_PORT"] = siloPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["CONDUIT_GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["CONDUIT_ADMIN_KEY"] = adminKey;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Conduit"] = "Information";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var silo = new SiloProcess(process, $"http://127.0.0.1:{httpPort}", adminKey, siloPort, gatewayPort);
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>kill -9: the process dies at once, its sockets are closed by the kernel.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGSTOP: the process hangs with its sockets open, as a silo stuck in a long GC pause or a frozen VM.</summary>
    public Task SuspendAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: a suspended process runs again.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="within"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            await SignalAsync("-CONT");
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/api/platform/health");
                if (response.StatusCode == HttpStatusCode.OK)
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

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The silo did not answer its health route within {within.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    private async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { signal, _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill could not be started.");
        await kill.WaitForExitAsync();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
