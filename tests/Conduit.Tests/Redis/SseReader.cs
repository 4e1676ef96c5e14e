using System.Text.Json;

namespace Conduit.Tests.Redis;

/// <summary>Reads a Server-Sent Events response: events (name and JSON data) and comment lines.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    /// <summary>Opens the stream on a connection of its own (with <paramref name="template"/>'s address and key), so disposing it closes that connection.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient template, string url)
    {
        var client = new HttpClient { BaseAddress = template.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = template.DefaultRequestHeaders.Authorization;
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            // Read the body only on failure: a successful event stream never ends.
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(client, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or a comment as ("comment", its text); fails after <paramref name="within"/>.</summary>
    public async Task<(string Event, string Data)> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        string? name = null;
        string? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.StartsWith(':'))
            {
                return ("comment", line[1..].Trim());
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null)
            {
                return (name, data ?? string.Empty);
            }
        }
    }

    /// <summary>The next event named <paramref name="name"/>, skipping comments; its data as JSON.</summary>
    public async Task<JsonElement> NextEventAsync(string name, TimeSpan within)
    {
        while (true)
        {
            var (@event, data) = await NextAsync(within);
            if (@event == name)
            {
                return JsonDocument.Parse(data).RootElement;
            }

            Assert.True(@event == "comment", $"expected event '{name}', got '{@event}': {data}");
        }
    }

    public ValueTask DisposeAsync()
    {
        // The handler first: it aborts the connection instead of draining an endless response.
        _client.Dispose();
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
