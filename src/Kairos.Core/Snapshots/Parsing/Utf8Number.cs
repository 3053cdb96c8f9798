using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kairos.Snapshots.Parsing;

/// <summary>
/// Invariant-culture decimal number parsing straight from UTF-8 bytes. Plain decimals with at most 19
/// significant digits and at most 22 fractional digits take an exact fast path (integer mantissa divided
/// by an exact power of ten: IEEE division rounds correctly, so the result equals <see cref="double.Parse(string)"/>);
/// anything else (exponents, long mantissas) falls back to the framework parser on the same bytes.
/// </summary>
internal static class Utf8Number
{
    private static ReadOnlySpan<double> Pow10 =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses the number starting at <paramref name="pos"/> and ending at the next delimiter, carriage
    /// return or newline (or the end of <paramref name="s"/>). On success <paramref name="pos"/> is left on
    /// the terminator and <paramref name="fractionDigits"/> holds the number of digits written after the
    /// decimal point (-1 when a non-finite token was read).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, ref int pos, byte delimiter, out double value, out int fractionDigits)
    {
        var i = pos;
        var n = s.Length;
        fractionDigits = 0;
        value = 0;
        if (i >= n) return false;
        var negative = false;
        var c = s[i];
        if (c == (byte)'-' || c == (byte)'+')
        {
            negative = c == (byte)'-';
            i++;
            if (i >= n) return false;
        }
        ulong mantissa = 0;
        var significant = 0;
        var digits = Digits(s, ref i, ref mantissa, ref significant);
        var fraction = 0;
        if (i < n && s[i] == (byte)'.')
        {
            i++;
            fraction = Digits(s, ref i, ref mantissa, ref significant);
        }
        if (digits + fraction == 0)
            return TryParseSpecial(s, ref pos, delimiter, out value, out fractionDigits);
        if (i < n && IsNotTerminator(s[i], delimiter))
        {
            if (s[i] is (byte)'e' or (byte)'E')
                return TryParseSlow(s, ref pos, delimiter, out value, out fractionDigits, fraction);
            return false;
        }
        if (significant > 19 || fraction > 22 || mantissa > (1UL << 53))
            return TryParseSlow(s, ref pos, delimiter, out value, out fractionDigits, fraction);
        var v = (double)mantissa;
        if (fraction > 0) v /= Pow10[fraction];
        value = negative ? -v : v;
        fractionDigits = fraction;
        pos = i;
        return true;
    }

    /// <summary>
    /// Reads the decimal digits from <paramref name="i"/> on into <paramref name="mantissa"/>, counting the significant
    /// ones (from the first non-zero); returns how many digits it read, leaving <paramref name="i"/> after them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digits(ReadOnlySpan<byte> s, ref int i, ref ulong mantissa, ref int significant)
    {
        var start = i;
        while (i < s.Length)
        {
            var d = (uint)(s[i] - (byte)'0');
            if (d > 9) break;
            if (mantissa != 0 || d != 0) significant++;
            mantissa = mantissa * 10 + d;
            i++;
        }
        return i - start;
    }

    private static bool IsNotTerminator(byte b, byte delimiter) => b != delimiter && b != (byte)'\n' && b != (byte)'\r';

    private static int FieldEnd(ReadOnlySpan<byte> s, int pos, byte delimiter)
    {
        var i = pos;
        while (i < s.Length && IsNotTerminator(s[i], delimiter)) i++;
        return i;
    }

    private static bool TryParseSlow(ReadOnlySpan<byte> s, ref int pos, byte delimiter, out double value, out int fractionDigits, int fraction)
    {
        var end = FieldEnd(s, pos, delimiter);
        fractionDigits = fraction;
        if (!double.TryParse(s[pos..end], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return false;
        pos = end;
        return true;
    }

    /// <summary>Reads NaN and infinity tokens (any case: nan, inf, infinity, with a sign) as non-finite values.</summary>
    private static bool TryParseSpecial(ReadOnlySpan<byte> s, ref int pos, byte delimiter, out double value, out int fractionDigits)
    {
        var end = FieldEnd(s, pos, delimiter);
        var token = s[pos..end];
        fractionDigits = -1;
        value = 0;
        var negative = false;
        if (token.Length > 0 && (token[0] == (byte)'-' || token[0] == (byte)'+'))
        {
            negative = token[0] == (byte)'-';
            token = token[1..];
        }
        if (Ascii.EqualsIgnoreCase(token, "nan"u8))
            value = double.NaN;
        else if (Ascii.EqualsIgnoreCase(token, "inf"u8) || Ascii.EqualsIgnoreCase(token, "infinity"u8))
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
        else
            return false;
        pos = end;
        return true;
    }
}
