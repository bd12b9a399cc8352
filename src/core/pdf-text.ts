/// <reference types="pdfkit" />
import bidiFactory from 'bidi-js';

/**
 * One line of text in a PDF, in any mix of Latin and Dari/Pashto, drawn in the right order. pdfkit lays a
 * string out as one run: given Arabic script it joins the letters but reverses the word order, and it has
 * no bidi algorithm. So the line is split into bidi runs (bidi-js, the Unicode algorithm), the runs are
 * put in visual order, and each is drawn at its own x: right-to-left runs with the font's `rtla` feature
 * (joined and ordered by the font engine from their logical text, so text extraction gets the logical
 * text back), left-to-right runs as they are. Two traps measured with pdfkit 0.20 (see the notes on
 * right-to-left text): Persian digits are laid out right-to-left by the font engine even in a
 * left-to-right run, so such a run is drawn one character at a time; and brackets in a right-to-left run
 * are mirrored here.
 */

const bidi = bidiFactory();
const ARABIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/;
// Letters only: a run of Arabic punctuation (the comma ، between two figures, with a bracket) has nothing
// for the font engine to shape, and it would leave such a run unreversed.
const RTL_LETTER =
  /[\u05D0-\u05EA\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FC\u06FF\u0750-\u077F\u08A0-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

export interface TextRun {
  text: string;
  rtl: boolean;
}

/** The runs of a line in visual order, left to right; the paragraph direction comes from the text. */
export function visualRuns(text: string, direction?: 'ltr' | 'rtl'): TextRun[] {
  if (!text) return [];
  const levels = bidi.getEmbeddingLevels(text, direction);
  // UTF-16 unit indices, as bidi-js counts them.
  const order = Array.from({ length: text.length }, (_, i) => i);
  for (const [start, end] of bidi.getReorderSegments(text, levels)) {
    const slice = order.slice(start, end + 1).reverse();
    order.splice(start, slice.length, ...slice);
  }
  const mirrored = bidi.getMirroredCharactersMap(text, levels.levels);
  const runs: TextRun[] = [];
  let i = 0;
  while (i < order.length) {
    const first = order[i]!;
    const rtl = (levels.levels[first]! & 1) === 1;
    const step = rtl ? -1 : 1;
    let j = i + 1;
    while (
      j < order.length &&
      order[j] === order[j - 1]! + step &&
      (levels.levels[order[j]!]! & 1) === (rtl ? 1 : 0)
    )
      j++;
    const lo = rtl ? order[j - 1]! : first;
    const hi = rtl ? first : order[j - 1]!;
    let runText = '';
    for (let k = lo; k <= hi; k++) runText += mirrored.get(k) ?? text[k];
    // The font engine reverses a run only when it holds right-to-left letters; a right-to-left run of
    // spaces and punctuation alone (" )" between two numbers) is put in visual order here instead.
    if (rtl && !RTL_LETTER.test(runText))
      runs.push({ text: Array.from(runText).reverse().join(''), rtl: false });
    else runs.push({ text: runText, rtl });
    i = j;
  }
  return runs;
}

export interface LineOptions {
  /** The font already registered with the document. */
  font: string;
  size: number;
  /** Where the line sits: x is its left edge or, with `align`, the box it is placed in. */
  x: number;
  y: number;
  width: number;
  align?: 'left' | 'center' | 'right';
  /** The smallest size the line may shrink to so it fits the width; below it the line is cut. */
  minSize?: number;
  color?: string;
  direction?: 'ltr' | 'rtl';
}

const drawOptions = (rtl: boolean): PDFKit.Mixins.TextOptions => ({
  lineBreak: false,
  ...(rtl ? { features: ['rtla'] as PDFKit.Mixins.OpenTypeFeatures[] } : {}),
});

function runWidth(doc: PDFKit.PDFDocument, run: TextRun): number {
  if (!run.rtl && ARABIC_DIGIT.test(run.text))
    return Array.from(run.text).reduce((w, ch) => w + doc.widthOfString(ch, drawOptions(false)), 0);
  return doc.widthOfString(run.text, drawOptions(run.rtl));
}

/** The width of the line at the document's current font and size. */
export function lineWidth(doc: PDFKit.PDFDocument, text: string, direction?: 'ltr' | 'rtl'): number {
  return visualRuns(text, direction).reduce((w, run) => w + runWidth(doc, run), 0);
}

/** Draws one line; returns the size it was drawn at (smaller than asked when it had to shrink to fit). */
export function drawLine(doc: PDFKit.PDFDocument, text: string, o: LineOptions): number {
  const runs = visualRuns(text.replace(/\s+/g, ' ').trim(), o.direction);
  doc.font(o.font);
  let size = o.size;
  doc.fontSize(size);
  let width = runs.reduce((w, run) => w + runWidth(doc, run), 0);
  const min = o.minSize ?? o.size;
  if (width > o.width && size > min) {
    size = Math.max(min, (size * o.width) / width);
    doc.fontSize(size);
    width = runs.reduce((w, run) => w + runWidth(doc, run), 0);
  }
  let x = o.x;
  if (o.align === 'center') x += Math.max(0, (o.width - width) / 2);
  else if (o.align === 'right') x += Math.max(0, o.width - width);
  if (o.color) doc.fillColor(o.color);
  for (const run of runs) {
    if (!run.rtl && ARABIC_DIGIT.test(run.text)) {
      for (const ch of run.text) {
        doc.text(ch, x, o.y, drawOptions(false));
        x += doc.widthOfString(ch, drawOptions(false));
      }
      continue;
    }
    doc.text(run.text, x, o.y, drawOptions(run.rtl));
    x += runWidth(doc, run);
  }
  return size;
}

/**
 * Breaks a paragraph into lines no wider than `width` at the document's current font and size, between
 * words (a word wider than the line gets a line of its own, and drawLine shrinks it).
 */
export function wrapText(
  doc: PDFKit.PDFDocument,
  text: string,
  width: number,
  direction?: 'ltr' | 'rtl',
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && lineWidth(doc, candidate, direction) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}
