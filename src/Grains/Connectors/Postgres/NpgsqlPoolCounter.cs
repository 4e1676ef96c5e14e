using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Conduit.Connectors.Postgres;

/// <summary>
/// Reads Npgsql's own <c>db.client.connection.count</c> instrument (tagged by pool name and state) to
/// know how many physical connections each data source holds: Npgsql has no public per-pool API.
/// </summary>
/// <remarks>Observations are refreshed at most every 200 ms, because each refresh visits every pool in the process.</remarks>
public static class NpgsqlPoolCounter
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (int Idle, int Used)> Counts = new(StringComparer.Ordinal);
    private static readonly MeterListener Listener = CreateListener();
    private static long _refreshedAt;

    /// <summary>Physical connections (idle + used) that the data source named <paramref name="poolName"/> holds.</summary>
    public static int Total(string? poolName)
    {
        if (poolName is null)
        {
            return 0;
        }

        lock (Gate)
        {
            if (Stopwatch.GetElapsedTime(_refreshedAt) > TimeSpan.FromMilliseconds(200))
            {
                Counts.Clear();
                Listener.RecordObservableInstruments();
                _refreshedAt = Stopwatch.GetTimestamp();
            }

            return Counts.TryGetValue(poolName, out var c) ? c.Idle + c.Used : 0;
        }
    }

    private static MeterListener CreateListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.connection.count")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>(OnMeasurement);
        listener.SetMeasurementEventCallback<long>((i, v, t, s) => OnMeasurement(i, (int)v, t, s));
        listener.Start();
        return listener;
    }

    private static void OnMeasurement(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        string? connectionState = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.pool.name")
            {
                pool = tag.Value as string;
            }
            else if (tag.Key == "db.client.connection.state")
            {
                connectionState = tag.Value as string;
            }
        }

        if (pool is null)
        {
            return;
        }

        // Called under Gate from RecordObservableInstruments.
        Counts.TryGetValue(pool, out var current);
        Counts[pool] = connectionState == "idle" ? (current.Idle + value, current.Used) : (current.Idle, current.Used + value);
    }
}
