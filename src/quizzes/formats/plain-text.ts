/**
 * Direction marks that editors put at the edges of right-to-left lines (LRM, RLM, embeddings, isolates)
 * and the byte-order mark: invisible, so a trainer cannot see why "‏=هدف" is not read as an answer.
 * They are removed at the edges of a line or field only; inside a text they may be needed for display.
 */
const EDGE_MARK = /[\s\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * Scans from both ends instead of using /[…]+$/, which backtracks quadratically over a long run of spaces
 * inside a line (a pasted 1 MB file could hold the request for minutes).
 */
export function cleanText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE_MARK.test(text.charAt(start))) start++;
  while (end > start && EDGE_MARK.test(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Lines of a text file, whatever its line endings. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const FORMAT_PREFIX = /^\[(?:markdown|html|plain|moodle)\]/i;

/** GIFT's "[html]"-style prefix on a feedback or option: dropped, the text kept (see gift.peggy's Format). */
export function stripFormat(text: string): string {
  const clean = cleanText(text);
  return FORMAT_PREFIX.test(clean) ? cleanText(clean.replace(FORMAT_PREFIX, '')) : clean;
}

export function startsWithFormat(text: string): boolean {
  return FORMAT_PREFIX.test(text);
}
