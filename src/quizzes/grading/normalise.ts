/**
 * Reading what members type, in English, Dari and Pashto, so that grading compares what was meant rather
 * than which keyboard, phone or editor produced it. Both functions are pure and total: any input, even a
 * non-string from untrusted JSON, gives a result and never throws.
 */

/** Persian (U+06F0…) and Arabic-Indic (U+0660…) digits: both appear, depending on the keyboard. */
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function toAsciiDigits(s: string): string {
  return s.replace(EASTERN_DIGITS, (d) => {
    const cp = d.codePointAt(0)!;
    return String(cp >= 0x06f0 ? cp - 0x06f0 : cp - 0x0660);
  });
}

/**
 * Letters that are one letter written with another code point (and the Arabic decimal, thousands and
 * percent signs, so "۳٫۵" in an answer reads as "3.5"). Arabic keyboards give ي ى ك where Dari
 * and Pashto keyboards give ی ک; hamza and madda on alef are often left off in everyday Dari writing, and
 * Arabic loanwords end in ة or ه by habit. Ezafe ۀ is ه with a hamza mark, which we drop anyway (هٔ → ه).
 * Not merged, because they are letters of their own in Pashto: ې (U+06D0), ۍ (U+06CD), ئ (U+0626),
 * and ګ/ږ/ښ/… (only a trainer can say whether گ for ګ is acceptable: list it as an accepted answer).
 * A known cost: word-final ي is Pashto's own "hard ye" (سړي men, سړی man), and merging it makes such
 * pairs equal. We accept that leniency because Dari typed on Arabic keyboards needs the merge, writers
 * mix the two widely, and a question does not say its language; a Pashto spelling test would need a
 * per-question option.
 */
const LETTERS: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي → ی
  '\u0649': '\u06CC', // ى → ی
  '\u0643': '\u06A9', // ك → ک
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0622': '\u0627', // آ → ا  (also what ا + madda becomes once marks are dropped, so all routes agree)
  '\u0671': '\u0627', // ٱ → ا
  '\u0629': '\u0647', // ة → ه
  '\u06C0': '\u0647', // ۀ → ه
  '\u066B': '.', // Arabic decimal separator
  '\u066C': ',', // Arabic thousands separator
  '\u066A': '%', // Arabic percent sign
};
const LETTER_VARIANTS = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/**
 * Invisible format characters (ZWNJ, ZWJ, ZWSP, LRM/RLM/ALM, bidi embeddings and isolates, BOM, soft
 * hyphen…), tatweel, and the Arabic vowel marks and superscript alef. None changes which word was meant.
 * ZWNJ does matter to correct Dari spelling (می‌روم), but people write the same word as میروم, می روم or
 * می‌روم, and we grade knowledge, not typography: it goes, and so do spaces between Arabic-script letters.
 */
const INVISIBLE_AND_MARKS = /[\p{Cf}\u0640]|[\u064B-\u065F\u0670]/gu;
/** A space between two Arabic-script characters: کتاب خانه = کتاب‌خانه = کتابخانه. */
const SPACE_INSIDE_ARABIC_SCRIPT = /(?<=\p{Script=Arabic}) (?=\p{Script=Arabic})/gu;

/**
 * The comparison key of a short answer: two answers are the same when their keys are equal. NFKC first
 * (presentation forms and ligatures, full-width Latin, NBSP → space), then marks and invisibles out, then
 * letter variants and digits unified, whitespace collapsed to one space (and dropped inside Arabic-script
 * runs), and Latin case folded unless the question is case sensitive.
 */
export function normaliseAnswerText(s: string, caseSensitive = false): string {
  if (typeof s !== 'string') return '';
  const key = toAsciiDigits(
    s
      .normalize('NFKC')
      .replace(INVISIBLE_AND_MARKS, '')
      .replace(LETTER_VARIANTS, (c) => LETTERS[c] ?? c),
  )
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SPACE_INSIDE_ARABIC_SCRIPT, '');
  // 'en' so the server's locale can never change the result (Turkish dotless i and the like).
  return caseSensitive ? key : key.toLocaleLowerCase('en');
}

/**
 * A plain decimal number: optional sign (-, +, or U+2212 minus), digits in any of the three scripts, an
 * optional decimal part after "." or "٫". Thousands separators ("," or "٬", the same one throughout) are
 * accepted only in exact groups of three (1,500 and ۱٬۵۰۰٬۰۰۰), so "1,5" is rejected rather than guessed:
 * in Afghanistan the decimal point with Latin digits is ".", and a wrong guess would grade silently wrong.
 */
const PLAIN_NUMBER =
  /^[-+\u2212]?(?:\d{1,3}(?:(,)\d{3})(?:\1\d{3})*|\d{1,3}(?:(\u066C)\d{3})(?:\2\d{3})*|\d*)(?:[.\u066B]\d*)?$/u;

/**
 * The number a member typed, or null when it is not plainly one number. Also null: exponents ("1e5"),
 * hex, NaN/Infinity, "/" as a decimal separator (it could be a fraction), spaces inside the number,
 * units or % signs, and values too large to be finite. Surrounding spaces and bidi marks are ignored.
 */
export function parseNumber(s: string): number | null {
  if (typeof s !== 'string') return null;
  const text = toAsciiDigits(
    s
      .normalize('NFKC')
      .replace(/\p{Cf}/gu, '')
      .trim(),
  );
  if (!PLAIN_NUMBER.test(text) || !/\d/.test(text)) return null;
  const ascii = text
    .replace(/[,\u066C]/g, '')
    .replace('\u066B', '.')
    .replace('\u2212', '-');
  const value = Number(ascii);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value; // no -0
}
