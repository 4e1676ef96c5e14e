namespace Conduit.Model;

/// <summary>How a tier's work is ranked when a silo is overloaded.</summary>
public enum TierPriority
{
    /// <summary>Served last.</summary>
    Low = 0,

    /// <summary>Served after high and critical.</summary>
    Medium = 1,

    /// <summary>Served before medium and low.</summary>
    High = 2,

    /// <summary>Served first.</summary>
    Critical = 3,
}
