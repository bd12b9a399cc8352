/**
 * Option labels an Aiken file may use. Afghan schools label options in two orders: the abjad order
 * (الف ب ج د ه و ز ح ط ی ک ل م ن …) and the alphabetical one (الف ب پ ت ث ج چ ح خ د …; Pashto adds
 * ټ ځ څ ډ ړ ږ ښ ګ ڼ ې ۍ). ANSWER names an option by its label, never by its position, so the order does not
 * matter: every single letter of the Dari and Pashto alphabets is accepted, with الف (also written ا or آ)
 * for the first. Latin labels are A–Z in either case, as in Moodle's Aiken.
 */

const DARI_LETTERS = 'ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی';
const PASHTO_LETTERS = 'ټځڅډړږښګڼېۍيئ';
/** Arabic-keyboard forms of ی and ک, and ى, which Afghan texts often contain. */
const ARABIC_VARIANTS = 'يكى';

const LETTER_CLASS = `[${DARI_LETTERS}${PASHTO_LETTERS}${ARABIC_VARIANTS}]`;

/**
 * After the label: "." or ")" as in Moodle, "-" and "–" as Afghan tests often have it, or the Urdu full
 * stop "۔". ":" and "؛" are not taken: "ب: …" and "و؛ …" could well start a line of question text. A
 * Latin label needs a space before its text, so that "A.B. Smith wrote…" stays text; a Dari or Pashto letter
 * standing alone before one of these marks is a label anyway.
 */
const SEPARATOR = '[.)\\-–۔]';
const LATIN_OPTION = new RegExp(`^([A-Za-z])${SEPARATOR}(?:\\s+(.*))?$`);
const LOCAL_OPTION = new RegExp(`^(الف|آ|${LETTER_CLASS})\\s*${SEPARATOR}\\s*(.*)$`);

/** One key per label however it was typed: "a" and "A", "ي" and "ی", "ا" and "الف" are the same. */
export function labelKey(label: string): string {
  const trimmed = label.trim();
  if (/^[A-Za-z]$/.test(trimmed)) return trimmed.toUpperCase();
  if (trimmed === 'ا' || trimmed === 'آ') return 'الف';
  return trimmed.replace(/[يى]/g, 'ی').replace(/ك/g, 'ک');
}

export function matchOption(line: string): { label: string; text: string } | null {
  const match = LATIN_OPTION.exec(line) ?? LOCAL_OPTION.exec(line);
  if (!match) return null;
  return { label: match[1] ?? '', text: match[2] ?? '' };
}

/** "ANSWER: B" and, in Dari, "جواب: ب" or "پاسخ: ب"; in Pashto "ځواب: ب". */
const ANSWER = /^(?:ANSWER|جواب|ځواب|پاسخ)\s*:\s*(.*)$/i;

/** The label named by an answer line (without a trailing "." or ")"), or null for any other line. */
export function matchAnswer(line: string): string | null {
  const match = ANSWER.exec(line);
  if (!match) return null;
  let answer = (match[1] ?? '').trim();
  // A loop, not /[.)]+$/, which backtracks quadratically over a long run of dots inside the line.
  while (/[.)\-–۔]$/.test(answer)) answer = answer.slice(0, -1).trimEnd();
  return answer;
}
