/**
 * Numbers as Afghan trainers type them: Persian (۰–۹) or Arabic-Indic (٠–٩) digits as well as ASCII, the
 * Arabic decimal separator "٫" as well as ".", and a minus sign that a word processor may have turned
 * into "−". Thousands separators are not accepted: "1,5" and "۱٬۵" are too easily misread.
 */
const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

function asciiDigits(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - PERSIAN_ZERO))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - ARABIC_INDIC_ZERO))
    .replace(/\u066B/g, '.')
    .replace(/\u2212/g, '-');
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/** The number, or null when the text is not one (whitespace around it is allowed). */
export function parseNumber(text: string): number | null {
  const ascii = asciiDigits(text.trim());
  if (!NUMBER.test(ascii)) return null;
  const value = Number(ascii);
  return Number.isFinite(value) ? value : null;
}

/** GIFT's three ways to give a numerical answer: "min..max", "value:tolerance" and "value". */
export function splitNumericSpec(spec: string): { kind: 'range' | 'tolerance' | 'exact'; parts: string[] } {
  const range = spec.indexOf('..');
  if (range > 0) return { kind: 'range', parts: [spec.slice(0, range), spec.slice(range + 2)] };
  const colon = spec.indexOf(':');
  if (colon >= 0) return { kind: 'tolerance', parts: [spec.slice(0, colon), spec.slice(colon + 1)] };
  return { kind: 'exact', parts: [spec] };
}
