using Conduit.Errors;

namespace Conduit.Connectors.Postgres;

/// <summary>The rows one data call may still return (<c>Conduit:DataPlane:MaxRows</c>), shared by every statement of a transaction.</summary>
/// <remarks>Checked as each row arrives, so a result past the cap is refused after at most one row more than the cap was read.</remarks>
internal sealed class PgRowBudget(int maxRows)
{
    private int _taken;

    /// <summary>Takes one row; throws <c>RESULT_TOO_LARGE</c> when the call has returned its cap already.</summary>
    public void Take(string prefix)
    {
        if (++_taken > maxRows)
        {
            throw new ConduitException(ErrorCodes.ResultTooLarge, $"{(prefix.Length == 0 ? "The" : prefix + "the")} result has more than {maxRows} rows, the most one call may return (Conduit:DataPlane:MaxRows). Add a LIMIT or page through it.");
        }
    }
}
