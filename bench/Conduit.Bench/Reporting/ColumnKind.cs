namespace Conduit.Bench.Reporting;

/// <summary>How a table column's numbers are written in Markdown (JSON keeps the raw value).</summary>
internal enum ColumnKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A whole number (operations, connections).</summary>
    Count,

    /// <summary>Operations per second.</summary>
    Rate,

    /// <summary>Milliseconds.</summary>
    Milliseconds,

    /// <summary>A ratio to the baseline.</summary>
    Ratio,

    /// <summary>Bytes, written in KiB or MiB.</summary>
    Bytes,
}
