import type { TFunction } from 'i18next';
import { markdownToParagraphs } from '../core/markdown.js';
import { newPdfDocument } from '../core/pdf-fonts.js';
import { drawLine, wrapText } from '../core/pdf-text.js';
import type { PaperFormDoc } from '../quizzes/paper-tests.service.js';

/**
 * A quiz printed for a room without connectivity: a box for the name and date, then each question with its
 * options lettered (A B C… in English, الف ب ج د… in Dari and Pashto, the letters members know from
 * school), a line to write on for short and numerical answers, and for matching the left items numbered
 * against lettered right items. The letters are the same on the screen where the answers are typed in.
 */

type Question = PaperFormDoc['questions'][number];

const LATIN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const ABJAD = [
  'الف',
  'ب',
  'ج',
  'د',
  'ه',
  'و',
  'ز',
  'ح',
  'ط',
  'ی',
  'ک',
  'ل',
  'م',
  'ن',
  'س',
  'ع',
  'ف',
  'ص',
  'ق',
  'ر',
];

/** The letter of the n-th option (0-based) in the paper's language. */
export function optionLetter(n: number, rtl: boolean): string {
  const letters = rtl ? ABJAD : LATIN;
  return letters[n] ?? String(n + 1);
}

/** Matching: the right-hand items in one fixed order (by id), as the typing-in screen lists them too. */
export function rightItems<T extends { id: string }>(pairs: T[]): T[] {
  return [...pairs].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export interface PaperOptions {
  t: TFunction;
  rtl: boolean;
  lang: string;
  organisation: string;
  heading: string;
  subheading: string;
  /** A question's text (Markdown) in the paper's language, else the course's main one. */
  text: (t: Partial<Record<string, string>> | undefined) => string;
  num: (n: number) => string;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 42;
const WIDTH = PAGE.width - 2 * MARGIN;

export function paperTestPdf(form: PaperFormDoc, o: PaperOptions): PDFKit.PDFDocument {
  const doc = newPdfDocument({ title: o.heading, author: o.organisation, lang: o.lang });
  const direction = o.rtl ? 'rtl' : 'ltr';
  const align = o.rtl ? 'right' : 'left';
  let y = 0;

  const newPage = () => {
    doc.addPage({ size: 'A4', margin: 0 });
    y = MARGIN;
  };
  const room = (h: number) => {
    if (y + h > PAGE.height - MARGIN) newPage();
  };
  /** A paragraph, wrapped; `indent` moves it in from the reading start. */
  const para = (text: string, size: number, font = 'regular', indent = 0, color = '#111111') => {
    doc.font(font).fontSize(size);
    for (const line of wrapText(doc, text, WIDTH - indent, direction)) {
      room(size * 1.6);
      drawLine(doc, line, {
        font,
        size,
        x: o.rtl ? MARGIN : MARGIN + indent,
        y,
        width: WIDTH - indent,
        align,
        direction,
        color,
      });
      y += size * 1.55;
    }
  };

  newPage();
  if (o.organisation) para(o.organisation, 10, 'regular', 0, '#555555');
  para(o.heading, 16, 'bold');
  para(o.subheading, 11, 'regular', 0, '#333333');
  y += 6;
  para(
    `${o.t('rounds.paper.nameLine')} ______________________________    ${o.t('rounds.paper.dateLine')} ______________`,
    11,
  );
  y += 4;
  para(o.t('rounds.paper.instructions'), 9.5, 'regular', 0, '#444444');
  y += 8;

  form.questions.forEach((q, i) => {
    room(60);
    const points = o.t('rounds.paper.points', { count: q.points, n: o.num(q.points) });
    const [first = '', ...rest] = markdownToParagraphs(o.text(q.text));
    para(`${o.num(i + 1)}. ${first} (${points})`, 11, 'bold');
    for (const p of rest) para(p, 11, 'regular', 14);
    drawAnswerSpace(q);
    y += 10;
  });
  return doc;

  function drawAnswerSpace(q: Question): void {
    switch (q.type) {
      case 'single':
      case 'multiple':
        if (q.type === 'multiple') para(o.t('rounds.paper.chooseAll'), 9, 'regular', 14, '#555555');
        q.options.forEach((opt, n) =>
          para(`${optionLetter(n, o.rtl)})  ${o.text(opt.text)}`, 11, 'regular', 14),
        );
        return;
      case 'truefalse':
        para(
          `${optionLetter(0, o.rtl)})  ${o.t('quizzes.true')}      ${optionLetter(1, o.rtl)})  ${o.t('quizzes.false')}`,
          11,
          'regular',
          14,
        );
        return;
      case 'short':
      case 'numerical':
        y += 6;
        para(
          `${o.t('rounds.paper.answerLine')} ____________________________________________`,
          11,
          'regular',
          14,
        );
        return;
      case 'matching': {
        const rights = rightItems(q.pairs);
        para(o.t('rounds.paper.matchHint'), 9, 'regular', 14, '#555555');
        q.pairs.forEach((p, n) => para(`${o.num(n + 1)}. ${o.text(p.left)}   ____`, 11, 'regular', 14));
        rights.forEach((p, n) => para(`${optionLetter(n, o.rtl)})  ${o.text(p.right)}`, 11, 'regular', 28));
        return;
      }
    }
  }
}
