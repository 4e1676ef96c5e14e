using System.Globalization;
using System.Text;

namespace Conduit.Postgres;

/// <summary>
/// A PostgreSQL <c>interval</c> exactly as the server keeps it: months, days and microseconds are separate
/// fields (a month is not 30 days and a day is not 24 hours across a DST change), which <see cref="TimeSpan"/> cannot hold.
/// </summary>
/// <param name="Months">Months (years are 12 months).</param>
/// <param name="Days">Days.</param>
/// <param name="Microseconds">The time part, in microseconds.</param>
[GenerateSerializer, Immutable, Alias("Conduit.PgInterval")]
public readonly record struct PgInterval(
    [property: Id(0)] int Months,
    [property: Id(1)] int Days,
    [property: Id(2)] long Microseconds)
{
    private const long MicrosecondsPerSecond = 1_000_000;
    private const long MicrosecondsPerMinute = 60 * MicrosecondsPerSecond;
    private const long MicrosecondsPerHour = 60 * MicrosecondsPerMinute;

    /// <summary>
    /// The ISO 8601 duration PostgreSQL prints with <c>IntervalStyle = iso_8601</c>, e.g. <c>P1Y2M3DT4H5M6.5S</c>;
    /// each field carries its own sign (<c>P-1Y2M</c>), and zero is <c>PT0S</c>. PostgreSQL reads it back unchanged.
    /// </summary>
    public override string ToString()
    {
        // Truncating division and remainder, as PostgreSQL splits the fields.
        int years = Months / 12, months = Months % 12;
        long hours = Microseconds / MicrosecondsPerHour;
        var rest = Microseconds - (hours * MicrosecondsPerHour);
        var minutes = rest / MicrosecondsPerMinute;
        rest -= minutes * MicrosecondsPerMinute;
        if (years == 0 && months == 0 && Days == 0 && hours == 0 && minutes == 0 && rest == 0)
        {
            return "PT0S";
        }

        var text = new StringBuilder("P");
        Append(text, years, 'Y');
        Append(text, months, 'M');
        Append(text, Days, 'D');
        if (hours != 0 || minutes != 0 || rest != 0)
        {
            text.Append('T');
        }

        Append(text, hours, 'H');
        Append(text, minutes, 'M');
        if (rest != 0)
        {
            text.Append((rest / (decimal)MicrosecondsPerSecond).ToString("0.######", CultureInfo.InvariantCulture)).Append('S');
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads an ISO 8601 duration: <c>P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]</c>, each number optionally signed,
    /// a fraction (at most 6 digits) only on seconds, and an optional leading <c>-</c> that negates every field.
    /// </summary>
    public static bool TryParse(string? text, out PgInterval value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var negate = text[0] == '-';
        var span = text.AsSpan(negate ? 1 : 0);
        if (span.Length < 2 || (span[0] != 'P' && span[0] != 'p'))
        {
            return false;
        }

        long months = 0, days = 0;
        Int128 micros = 0;
        var inTime = false;
        var any = false;
        var i = 1;
        while (i < span.Length)
        {
            if (span[i] is 'T' or 't')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            var start = i;
            if (span[i] is '+' or '-')
            {
                i++;
            }

            while (i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '.'))
            {
                i++;
            }

            if (i == start || i >= span.Length || !decimal.TryParse(span[start..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = char.ToUpperInvariant(span[i++]);
            var whole = decimal.Truncate(number) == number;
            if (!whole && !(inTime && unit == 'S'))
            {
                return false;
            }

            try
            {
                checked
                {
                    switch (inTime, unit)
                    {
                        case (false, 'Y'): months += (long)number * 12; break;
                        case (false, 'M'): months += (long)number; break;
                        case (false, 'W'): days += (long)number * 7; break;
                        case (false, 'D'): days += (long)number; break;
                        case (true, 'H'): micros += (Int128)(long)number * MicrosecondsPerHour; break;
                        case (true, 'M'): micros += (Int128)(long)number * MicrosecondsPerMinute; break;
                        case (true, 'S'):
                            var scaled = number * MicrosecondsPerSecond;
                            if (decimal.Truncate(scaled) != scaled)
                            {
                                return false;
                            }

                            micros += (Int128)(long)scaled;
                            break;
                        default: return false;
                    }
                }
            }
            catch (OverflowException)
            {
                return false;
            }

            any = true;
        }

        if (negate)
        {
            (months, days, micros) = (-months, -days, -micros);
        }

        if (!any || months is > int.MaxValue or < int.MinValue || days is > int.MaxValue or < int.MinValue || micros > long.MaxValue || micros < long.MinValue)
        {
            return false;
        }

        value = new PgInterval((int)months, (int)days, (long)micros);
        return true;
    }

    private static void Append(StringBuilder text, long value, char unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
