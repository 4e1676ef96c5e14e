using System.Net;
using System.Text.RegularExpressions;
using Conduit.Tests.Infrastructure;

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
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={(int)budget.TotalMilliseconds}", "--dump-dom", url,
            ];
            var (_, dom, _) = await SystemTool.RunAsync("chromium", "chromium", arguments, null, TimeSpan.FromSeconds(90));
            return Text(dom);
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
