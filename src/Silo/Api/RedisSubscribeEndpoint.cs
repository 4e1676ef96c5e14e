using System.Text;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Options;
using Conduit.Projects;
using Conduit.Redis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Api;

/// <summary>
/// <c>GET /api/platform/projects/{ref}/redis/subscribe?channel=…[&amp;database=…]</c>: a Redis channel as
/// Server-Sent Events. The stream starts with <c>event: subscribed</c>, then sends
/// <c>event: message</c> with <c>{"channel":…,"message":…}</c> per message, <c>event: dropped</c> with
/// <c>{"count":n}</c> when the client read too slowly, a <c>: keepalive</c> comment when idle, and
/// <c>event: error</c> with <c>{"code":…,"message":…}</c> before it ends on a lasting failure.
/// </summary>
/// <remarks>
/// The endpoint subscribes an observer for the request's lifetime, renews its lease every third of
/// it, and unsubscribes when the HTTP client disconnects. Errors before the stream starts (unknown
/// project, <c>SUBSCRIPTION_LIMIT</c>…) are problem+json responses like every other route.
/// </remarks>
internal static class RedisSubscribeEndpoint
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    /// <summary>Streams the channel until the client disconnects or the subscription cannot be kept.</summary>
    public static async Task SubscribeAsync(string @ref, string? channel, string? database, HttpContext context, IGrainFactory grains, IOptions<DataPlaneOptions> options, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        PlatformEndpoints.RequireRef(@ref);
        var name = channel ?? string.Empty;
        var grain = grains.GetGrain<IProjectConnectionGrain>(@ref);
        var subscriber = new SseRedisSubscriber();
        var reference = grains.CreateObjectReference<IRedisSubscriber>(subscriber);
        try
        {
            var lease = await grain.RedisSubscribeAsync(name, reference, database).ConfigureAwait(false);

            // The stream ends when the HTTP client goes away or the silo shuts down (clients reconnect elsewhere).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                await StreamAsync(context, grain, subscriber, reference, name, database, lease, options.Value.RedisSseKeepAlive, time, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && stop.IsCancellationRequested)
            {
                // The HTTP client went away or the silo is stopping: that is how a stream normally ends.
            }
            finally
            {
                await UnsubscribeAsync(grain, reference, name, database).ConfigureAwait(false);
            }
        }
        finally
        {
            grains.DeleteObjectReference<IRedisSubscriber>(reference);
        }
    }

    private static async Task StreamAsync(HttpContext context, IProjectConnectionGrain grain, SseRedisSubscriber subscriber, IRedisSubscriber reference, string channel, string? database, RedisSubscriptionLease lease, TimeSpan keepAlive, TimeProvider time, CancellationToken aborted)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteAsync(response, Event("subscribed", new { channel, leaseSeconds = lease.Duration.TotalSeconds }), aborted).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var nextRenewal = now + lease.Duration / 3;
        var nextKeepAlive = now + keepAlive;
        var text = new StringBuilder();
        while (!aborted.IsCancellationRequested)
        {
            var wait = (nextRenewal < nextKeepAlive ? nextRenewal : nextKeepAlive) - time.GetUtcNow();
            if (wait > TimeSpan.Zero && !await WaitForMessagesAsync(subscriber, wait, aborted).ConfigureAwait(false) && subscriber.Reader.Completion.IsCompleted)
            {
                return;
            }

            if (aborted.IsCancellationRequested)
            {
                return;
            }

            text.Clear();
            if (subscriber.TakeDropped() is > 0 and var dropped)
            {
                text.Append(Event("dropped", new { count = dropped }));
            }

            while (text.Length < 64 * 1024 && subscriber.Reader.TryRead(out var item))
            {
                text.Append(Event("message", new { channel = item.Channel, message = item.Message }));
            }

            now = time.GetUtcNow();
            if (text.Length > 0)
            {
                await WriteAsync(response, text.ToString(), aborted).ConfigureAwait(false);
                nextKeepAlive = now + keepAlive;
            }
            else if (now >= nextKeepAlive)
            {
                await WriteAsync(response, ": keepalive\n\n", aborted).ConfigureAwait(false);
                nextKeepAlive = now + keepAlive;
            }

            if (now >= nextRenewal)
            {
                try
                {
                    lease = await grain.RedisSubscribeAsync(channel, reference, database).ConfigureAwait(false);
                    nextRenewal = now + lease.Duration / 3;
                }
                catch (ConduitException e) when (!e.IsTransient)
                {
                    await WriteAsync(response, Event("error", new { code = e.Code, message = e.Message }), aborted).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A passing failure (breaker open, silo restarting): the lease still runs, so try again soon.
                    nextRenewal = now + RetryAfterFailure;
                }
            }
        }
    }

    private static async Task<bool> WaitForMessagesAsync(SseRedisSubscriber subscriber, TimeSpan wait, CancellationToken aborted)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timer.CancelAfter(wait);
        try
        {
            return await subscriber.Reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task UnsubscribeAsync(IProjectConnectionGrain grain, IRedisSubscriber reference, string channel, string? database)
    {
        try
        {
            await grain.RedisUnsubscribeAsync(channel, reference, database).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The lease runs out by itself if this fails; nobody is left to tell.
        }
    }

    private static string Event(string name, object data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n";

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
