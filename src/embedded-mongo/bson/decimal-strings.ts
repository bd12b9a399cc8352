/**
 * Exact arithmetic on plain decimal strings (as Decimal128 prints them), through bigint digits and a
 * scale, so a Decimal128 $inc or $mul never passes through a double.
 */

function parseDecimal(s: string): { int: bigint; scale: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let digits = (m[2] ?? '') + frac;
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const int = BigInt(digits === '' ? '0' : digits);
  return { int: m[1] === '-' ? -int : int, scale };
}

function formatDecimal(value: bigint, scale: number): string {
  const neg = value < 0n;
  let digits = (neg ? -value : value).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (neg ? '-' : '') + digits;
}

/** Exact decimal addition of two plain decimal strings (scientific notation is expanded first). */
export function addDecimalStrings(a: string, b: string): string {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa || !pb) return String(Number(a) + Number(b));
  const scale = Math.max(pa.scale, pb.scale);
  const ia = pa.int * 10n ** BigInt(scale - pa.scale);
  const ib = pb.int * 10n ** BigInt(scale - pb.scale);
  return formatDecimal(ia + ib, scale);
}

/** Exact decimal product of two plain decimal strings. */
export function multiplyDecimalStrings(a: string, b: string): string {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa || !pb) return String(Number(a) * Number(b));
  return formatDecimal(pa.int * pb.int, pa.scale + pb.scale);
}
