import { formatNumber, formatPercent, type Locale } from '../core/i18n.js';

/**
 * How report figures are written: on pages in the reader's digits, rounded for reading (percentages and
 * days to one decimal, normalised gains to two); in CSV files with Latin digits and a decimal point, so a
 * spreadsheet reads them as numbers. A figure that cannot be computed (nobody to count) is a dash on a
 * page and an empty cell in a file.
 */

// `|| 0`: a value that rounds to zero from below (a gain of -7e-15 from reordered scores) is 0, not "-0".
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places || 0;

export interface PageFormat {
  count: (n: number) => string;
  percent: (n: number | null) => string;
  /** Percentage points, signed: "+12.5". */
  points: (n: number | null) => string;
  gain: (n: number | null) => string;
  days: (n: number | null) => string;
}

export function pageFormat(locale: Locale): PageFormat {
  const signed = (text: string, n: number) => (n > 0 ? `+${text}` : text);
  return {
    count: (n) => formatNumber(n, locale),
    percent: (n) => (n === null ? '—' : formatPercent(round(n, 1), locale)),
    points: (n) => (n === null ? '—' : signed(formatNumber(round(n, 1), locale), round(n, 1))),
    gain: (n) => (n === null ? '—' : formatNumber(round(n, 2), locale)),
    days: (n) => (n === null ? '—' : formatNumber(round(n, 1), locale)),
  };
}

export const csvNumber = {
  percent: (n: number | null): string => (n === null ? '' : round(n, 1).toFixed(1)),
  gain: (n: number | null): string => (n === null ? '' : round(n, 2).toFixed(2)),
  days: (n: number | null): string => (n === null ? '' : round(n, 1).toFixed(1)),
  count: (n: number): string => String(n),
};
