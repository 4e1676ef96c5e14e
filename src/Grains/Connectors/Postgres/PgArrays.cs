namespace Conduit.Connectors.Postgres;

/// <summary>Element-wise conversion of arrays of any rank, keeping their shape.</summary>
internal static class PgArrays
{
    /// <summary>A new array of <typeparamref name="TOut"/> with <paramref name="source"/>'s dimensions, each element converted.</summary>
    public static Array Map<TIn, TOut>(Array source, Func<TIn, TOut> convert)
    {
        var lengths = new int[source.Rank];
        for (var d = 0; d < lengths.Length; d++)
        {
            lengths[d] = source.GetLength(d);
        }

        var target = Array.CreateInstance(typeof(TOut), lengths);
        if (source.Rank == 1)
        {
            for (var i = 0; i < lengths[0]; i++)
            {
                target.SetValue(convert((TIn)source.GetValue(i)!), i);
            }

            return target;
        }

        var index = new int[source.Rank];
        for (var n = 0; n < source.Length; n++)
        {
            target.SetValue(convert((TIn)source.GetValue(index)!), index);
            for (var d = source.Rank - 1; d >= 0 && ++index[d] == lengths[d]; d--)
            {
                index[d] = 0;
            }
        }

        return target;
    }
}
