using Spectre.Console;

namespace Conduit.Bench.Infrastructure;

/// <summary>The benchmark's progress lines on stderr-friendly plain text (no markup from callers is interpreted).</summary>
internal static class BenchConsole
{
    /// <summary>One informational line.</summary>
    public static void Info(string message) => AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(message)}");

    /// <summary>One warning line.</summary>
    public static void Warn(string message) => AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] [yellow]{Markup.Escape(message)}[/]");
}
