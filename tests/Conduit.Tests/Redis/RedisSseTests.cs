using System.Net;
using Conduit.Tests.Infrastructure;

namespace Conduit.Tests.Redis;

/// <summary><c>GET …/redis/subscribe</c> as Server-Sent Events on a silo with 2 s leases and 200 ms keepalives.</summary>
public sealed class RedisSseTests(ShortLeaseSiloFixture fixture) : IClassFixture<ShortLeaseSiloFixture>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private ConduitSilo Silo => fixture.Silo;

    private static string Url(string projectRef, string channel) => $"/api/platform/projects/{projectRef}/redis/subscribe?channel={Uri.EscapeDataString(channel)}";

    private async Task<long> PublishAsync(string projectRef, string channel, string message)
    {
        var response = await Silo.Admin.RedisAsync(projectRef, "PUBLISH", channel, message);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("result").GetInt64();
    }

    [Fact]
    public async Task Subscribe_Sse_StreamsSubscribedThenMessagesInOrder()
    {
        var projectRef = await RedisProjects.CreateAsync(Silo);
        var channel = $"{projectRef}:feed";
        await using var stream = await SseReader.OpenAsync(Silo.Admin, Url(projectRef, channel));

        var subscribed = await stream.NextEventAsync("subscribed", Within);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await PublishAsync(projectRef, channel, $"m{i}"));
        }

        Assert.Equal(channel, subscribed.GetProperty("channel").GetString());
        Assert.Equal(2, subscribed.GetProperty("leaseSeconds").GetDouble());
        for (var i = 0; i < 3; i++)
        {
            var message = await stream.NextEventAsync("message", Within);
            Assert.Equal(channel, message.GetProperty("channel").GetString());
            Assert.Equal($"m{i}", message.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Subscribe_Sse_NothingToSend_WritesKeepaliveComments()
    {
        var projectRef = await RedisProjects.CreateAsync(Silo);
        await using var stream = await SseReader.OpenAsync(Silo.Admin, Url(projectRef, $"{projectRef}:quiet"));
        await stream.NextEventAsync("subscribed", Within);

        var next = await stream.NextAsync(Within);

        Assert.Equal(("comment", "keepalive"), next);
    }

    [Fact]
    public async Task Subscribe_Sse_PastSeveralLeases_StillReceives()
    {
        var projectRef = await RedisProjects.CreateAsync(Silo);
        var channel = $"{projectRef}:long";
        await using var stream = await SseReader.OpenAsync(Silo.Admin, Url(projectRef, channel));
        await stream.NextEventAsync("subscribed", Within);

        // Three leases go by: only the endpoint's renewals keep the subscription.
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(1, await PublishAsync(projectRef, channel, "late"));
        Assert.Equal("late", (await stream.NextEventAsync("message", Within)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Subscribe_Sse_ClientDisconnects_Unsubscribed()
    {
        var projectRef = await RedisProjects.CreateAsync(Silo);
        var channel = $"{projectRef}:gone";
        var stream = await SseReader.OpenAsync(Silo.Admin, Url(projectRef, channel));
        await stream.NextEventAsync("subscribed", Within);
        Assert.Equal(1, await PublishAsync(projectRef, channel, "hello"));

        await stream.DisposeAsync();

        await Eventually.TrueAsync(async () => await PublishAsync(projectRef, channel, "anyone?") == 0, Within, "the endpoint should unsubscribe when the client goes away");
    }

    [Fact]
    public async Task Subscribe_Sse_WithProjectKey_Streams()
    {
        var projectRef = SiloApi.NewRef("r");
        var key = await Silo.CreateProjectAsync(projectRef);
        await Silo.AddDatabaseAsync(projectRef, "redis", TestServers.Redis);
        using var client = Silo.WithKey(key);

        await using var stream = await SseReader.OpenAsync(client, Url(projectRef, $"{projectRef}:mine"));

        await stream.NextEventAsync("subscribed", Within);
    }

    [Fact]
    public async Task Subscribe_Sse_NoKey_Returns401()
    {
        using var response = await Silo.Http.GetAsync(Url("p-none", "c"), HttpCompletionOption.ResponseHeadersRead);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Subscribe_Sse_MissingChannel_Returns400NamingChannel()
    {
        var projectRef = await RedisProjects.CreateAsync(Silo);

        using var response = await Silo.Admin.GetAsync($"/api/platform/projects/{projectRef}/redis/subscribe", HttpCompletionOption.ResponseHeadersRead);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("channel: a channel name is required.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Subscribe_Sse_UnknownProject_Returns404()
    {
        using var response = await Silo.Admin.GetAsync(Url(SiloApi.NewRef("r"), "c"), HttpCompletionOption.ResponseHeadersRead);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "PROJECT_NOT_FOUND");
    }
}
