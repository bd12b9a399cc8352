/**
 * Decimal numbers held exactly, as bigint digits and a scale (value = int / 10^scale): Decimal128
 * arithmetic that never passes through a double, and exact comparison of a decimal with a double,
 * whose binary value is rarely the decimal it prints as (0.1 is 0.1000000000000000055511...).
 */

export interface Exact {
  int: bigint;
  scale: number;
}

/** The exact value of a decimal's text (as Decimal128 prints it); undefined for NaN and the infinities. */
export function exactOfDecimal(s: string): Exact | undefined {
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
  const pa = exactOfDecimal(a);
  const pb = exactOfDecimal(b);
  if (!pa || !pb) return String(Number(a) + Number(b));
  const scale = Math.max(pa.scale, pb.scale);
  const ia = pa.int * 10n ** BigInt(scale - pa.scale);
  const ib = pb.int * 10n ** BigInt(scale - pb.scale);
  return formatDecimal(ia + ib, scale);
}

/** Exact decimal product of two plain decimal strings. */
export function multiplyDecimalStrings(a: string, b: string): string {
  const pa = exactOfDecimal(a);
  const pb = exactOfDecimal(b);
  if (!pa || !pb) return String(Number(a) * Number(b));
  return formatDecimal(pa.int * pb.int, pa.scale + pb.scale);
}

/** The exact value of a finite double: its binary mantissa and exponent written in decimal. */
export function exactOfDouble(d: number): Exact {
  if (Number.isInteger(d)) return { int: BigInt(d), scale: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  // A non-integral double is mantissa * 2^-k, that is mantissa * 5^k / 10^k.
  const k = biased === 0 ? 1074 : 1075 - biased;
  const int = mantissa * 5n ** BigInt(k);
  return { int: bits >> 63n ? -int : int, scale: k };
}

export function compareExact(a: Exact, b: Exact): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.int * 10n ** BigInt(scale - a.scale);
  const y = b.int * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The shortest text of an exact value (no trailing zeros), equal for equal values. */
export function canonicalExact(x: Exact): string {
  let { int, scale } = x;
  while (scale > 0 && int % 10n === 0n) {
    int /= 10n;
    scale--;
  }
  return formatDecimal(int, scale);
}
