using System.Text;
using Conduit.Errors;
using Conduit.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Conduit.Connectors.Postgres;

/// <summary>Turns the contract's parameter values (see <see cref="PgCommand.Parameters"/>) into Npgsql parameters, refusing other types with the parameter's index.</summary>
internal static class PgParameters
{
    private static readonly HashSet<Type> Sendable =
    [
        typeof(bool), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal), typeof(string), typeof(char),
        typeof(Guid), typeof(DateOnly), typeof(TimeOnly), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(byte[]),
        typeof(PgNumeric), typeof(PgInterval),
    ];

    /// <summary>Checks every value's type before any statement runs; <paramref name="field"/> names the list (<c>parameters</c>, <c>statements[1].parameters</c>).</summary>
    public static void Validate(IReadOnlyList<object?>? parameters, string field)
    {
        if (parameters is null)
        {
            return;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var value = parameters[i] is PgTypedValue typed ? ValidateTyped(typed, $"{field}[{i}]") : parameters[i];
            if (value is not null && !IsSendable(value.GetType()))
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}[{i}]: values of type {value.GetType().Name} cannot be sent to PostgreSQL. Use null, bool, short, int, long, float, double, decimal, PgNumeric, string, Guid, DateOnly, TimeOnly, DateTime, DateTimeOffset, TimeSpan, PgInterval, byte[], PgTypedValue or an array of one of them.");
            }
        }
    }

    /// <summary>Adds <paramref name="parameters"/> (validated) to <paramref name="target"/> as positional parameters.</summary>
    public static void Bind(NpgsqlParameterCollection target, IReadOnlyList<object?>? parameters)
    {
        if (parameters is null)
        {
            return;
        }

        foreach (var value in parameters)
        {
            target.Add(ToParameter(value));
        }
    }

    private static NpgsqlParameter ToParameter(object? value)
    {
        switch (value)
        {
            case null:
                return new NpgsqlParameter { Value = DBNull.Value };
            case PgTypedValue typed when IsNumericText(typed.Value):
                return Untyped(typed.Value);
            case PgTypedValue typed:
                return new NpgsqlParameter { DataTypeName = typed.Type, Value = Convert(typed.Value) ?? DBNull.Value };
            case var _ when IsNumericText(value):
                return Untyped(value);
            default:
                return new NpgsqlParameter { Value = Convert(value) };
        }
    }

    private static bool IsNumericText(object? value) => value is PgNumeric || (value is Array array && array.GetType().GetElementType() == typeof(PgNumeric));

    private static object? Convert(object? value) => value switch
    {
        PgInterval interval => ToNpgsql(interval),
        Array array when array.GetType().GetElementType() == typeof(PgInterval) => PgArrays.Map<PgInterval, NpgsqlInterval>(array, ToNpgsql),
        Array array when array.GetType().GetElementType() == typeof(PgInterval?) => PgArrays.Map<PgInterval?, NpgsqlInterval?>(array, static i => i is { } v ? ToNpgsql(v) : null),
        _ => value,
    };

    private static NpgsqlInterval ToNpgsql(PgInterval value) => new(value.Months, value.Days, value.Microseconds);

    /// <summary>
    /// A numeric past <see cref="decimal"/> (or an array of them) goes as an untyped literal: PostgreSQL reads
    /// it as whatever type the statement expects there, so no digit is lost on the way.
    /// </summary>
    private static NpgsqlParameter Untyped(object? value)
    {
        var text = value switch
        {
            PgNumeric numeric => numeric.Value,
            Array array => ArrayLiteral(array),
            _ => null,
        };
        return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = (object?)text ?? DBNull.Value };
    }

    private static string ArrayLiteral(Array array)
    {
        var text = new StringBuilder();
        var index = new int[array.Rank];
        Append(0);
        return text.ToString();

        void Append(int dimension)
        {
            text.Append('{');
            for (var i = 0; i < array.GetLength(dimension); i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                index[dimension] = i;
                if (dimension < array.Rank - 1)
                {
                    Append(dimension + 1);
                }
                else
                {
                    text.Append(array.GetValue(index) is PgNumeric n ? n.Value : "NULL");
                }
            }

            text.Append('}');
        }
    }

    private static object? ValidateTyped(PgTypedValue typed, string field)
    {
        if (string.IsNullOrWhiteSpace(typed.Type))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{field}.type: a PostgreSQL type name is required (e.g. jsonb, uuid, int4[]).");
        }

        return typed.Value;
    }

    private static bool IsSendable(Type type)
    {
        if (type.IsArray && type != typeof(byte[]))
        {
            type = type.GetElementType()!;
            type = Nullable.GetUnderlyingType(type) ?? type;
        }

        return Sendable.Contains(type);
    }
}
