import type { TFunction } from 'i18next';
import { newPdfDocument } from '../core/pdf-fonts.js';
import { drawLine } from '../core/pdf-text.js';

/**
 * A printable sign-in sheet: one A4 page (or more, for a big round) per day, headed with the round's
 * details, a row per member with the name in Latin and in Arabic script, the organisation, and an empty
 * box to sign in. Rooms without connectivity still take attendance on paper; the coordinator ticks the
 * grid afterwards. Columns run right to left when the sheet is printed in Dari or Pashto.
 */

export interface SheetPerson {
  displayName: string;
  localName: string;
  organisation: string;
}

export interface SheetRound {
  name: string;
  dates: string;
  venue: string;
  province: string;
  trainers: string[];
  partners: string[];
}

export interface SheetOptions {
  t: TFunction;
  rtl: boolean;
  organisation: string;
  /** The days printed, each as written for readers ("24 April 2026") with its number in the round. */
  days: { label: string; n: number }[];
  /** How many days the round has. */
  totalDays: number;
  lang: string;
  /** Numbers in the sheet's own digits. */
  num: (n: number) => string;
  /** Members' organisations are shown to coordinators and admins only. */
  withOrganisation: boolean;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const ROW = 28;
const WIDTH = PAGE.width - 2 * MARGIN;
// Column shares of the table width, in reading order: number, name, name in Arabic script, organisation, signature.
const SHARES = [0.06, 0.26, 0.24, 0.2, 0.24];
// Without the organisation (printed by a trainer, who does not see it): the names and the signature get its room.
const SHARES_WITHOUT_ORGANISATION = [0.06, 0.32, 0.3, 0, 0.32];

interface Column {
  x: number;
  width: number;
}

function columns(rtl: boolean, withOrganisation: boolean): Column[] {
  const out: Column[] = [];
  let at = 0;
  for (const share of withOrganisation ? SHARES : SHARES_WITHOUT_ORGANISATION) {
    const width = share * WIDTH;
    out.push({ x: rtl ? MARGIN + WIDTH - at - width : MARGIN + at, width });
    at += width;
  }
  return out;
}

export function attendanceSheet(
  round: SheetRound,
  people: SheetPerson[],
  o: SheetOptions,
): PDFKit.PDFDocument {
  const { t } = o;
  const doc = newPdfDocument({
    title: `${t('rounds.sheet.title')} — ${round.name}`,
    author: o.organisation,
    lang: o.lang,
  });
  const direction = o.rtl ? 'rtl' : 'ltr';
  const align = o.rtl ? 'right' : 'left';
  const cols = columns(o.rtl, o.withOrganisation);
  const headings = [
    '#',
    t('rounds.sheet.name'),
    t('rounds.sheet.localName'),
    t('rounds.sheet.organisation'),
    t('rounds.sheet.signature'),
  ];
  const line = (text: string, y: number, size: number, font = 'regular', color = '#222222') =>
    drawLine(doc, text, {
      font,
      size,
      x: MARGIN,
      y,
      width: WIDTH,
      align,
      direction,
      minSize: size * 0.7,
      color,
    });

  const header = (day: string, dayNumber: number, page: number): number => {
    doc.addPage({ size: 'A4', margin: 0 });
    let y = MARGIN;
    if (o.organisation) line(o.organisation, y, 10, 'regular', '#555555');
    y += 16;
    line(round.name, y, 16, 'bold');
    y += 24;
    line(
      `${t('rounds.sheet.title')} — ${t('rounds.sheet.day', { n: o.num(dayNumber), total: o.num(o.totalDays) })}: ${day}`,
      y,
      12,
      'bold',
    );
    y += 18;
    const details = [
      `${t('rounds.fields.dates')}: ${round.dates}`,
      round.venue || round.province
        ? `${t('rounds.fields.venue')}: ${[round.venue, round.province].filter(Boolean).join(t('list.separator'))}`
        : '',
      round.trainers.length ? `${t('rounds.trainers')}: ${round.trainers.join(t('list.separator'))}` : '',
      round.partners.length
        ? `${t('rounds.fields.partners')}: ${round.partners.join(t('list.separator'))}`
        : '',
    ].filter(Boolean);
    for (const d of details) {
      line(d, y, 9.5, 'regular', '#444444');
      y += 14;
    }
    if (page > 1) {
      line(t('rounds.sheet.continued', { page: o.num(page) }), y, 9, 'regular', '#666666');
      y += 14;
    }
    y += 6;
    doc.save().rect(MARGIN, y, WIDTH, ROW).fill('#eeeeee').restore();
    headings.forEach((h, i) => cell(h, cols[i]!, y, 'bold'));
    return y + ROW;
  };

  const cell = (text: string, col: Column, y: number, font = 'regular') => {
    if (!text || col.width === 0) return;
    drawLine(doc, text, {
      font,
      size: 10,
      minSize: 6.5,
      x: col.x + 4,
      y: y + 8,
      width: col.width - 8,
      align: o.rtl ? 'right' : 'left',
      direction: /[\u0600-\u06FF]/.test(text) ? 'rtl' : 'ltr',
      color: '#111111',
    });
  };

  o.days.forEach((day) => {
    let page = 1;
    let y = header(day.label, day.n, page);
    people.forEach((p, n) => {
      if (y + ROW > PAGE.height - MARGIN) {
        page += 1;
        y = header(day.label, day.n, page);
      }
      const texts = [o.num(n + 1), p.displayName, p.localName, p.organisation, ''];
      texts.forEach((text, i) => cell(text, cols[i]!, y));
      doc.save().lineWidth(0.5).strokeColor('#999999');
      for (const c of cols) if (c.width) doc.rect(c.x, y, c.width, ROW).stroke();
      doc.restore();
      y += ROW;
    });
  });
  if (o.days.length === 0) header('', 0, 1);
  return doc;
}
