using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Conduit.Tests.Observability;

/// <summary>Debian's <c>chromium</c> in headless mode (installed by ./test.sh): loads a page, lets its scripts run, returns the rendered text.</summary>
public static partial class HeadlessChromium
{
    /// <summary>Loads <paramref name="url"/>, gives its scripts <paramref name="budget"/> of virtual time and returns the page's visible text.</summary>
    public static async Task<string> RenderTextAsync(string url, TimeSpan budget)
    {
        var profile = Directory.CreateTempSubdirectory("conduit-chromium-");
        try
        {
            var start = new ProcessStartInfo("chromium")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={(int)budget.TotalMilliseconds}", "--dump-dom", url,
            })
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("chromium is not installed: run the tests through ./test.sh, which installs Debian's chromium package.", e);
            }

            using (process)
            {
                var dom = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("chromium did not finish within 90 s: " + await errors);
                }

                return Text(await dom);
            }
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Text(string html)
    {
        var withoutCode = Code().Replace(html, " ");
        return string.Join(' ', WebUtility.HtmlDecode(Tag().Replace(withoutCode, " ")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Code();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
