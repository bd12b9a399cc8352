import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { formatNumber, formatPercent, RTL_LOCALES, type Locale } from '../core/i18n.js';

/**
 * Charts drawn on the server as inline SVG (Observable Plot, with linkedom standing in for the browser's
 * document): they show without JavaScript and weigh a few kilobytes. The page's Content-Security-Policy
 * allows no inline styles, so the SVG leaves with no <style> element and no style attributes; the few
 * rules Plot would have inlined are in public/css/app.css under `.report-chart`. In Dari and Pashto the
 * chart is mirrored: bars grow from the right, the labels stand on the right.
 */

export interface Bar {
  label: string;
  /** 0 … 100. */
  value: number;
}

export interface PrePost {
  label: string;
  pre: number;
  post: number;
}

interface ChartText {
  /** Read by screen readers (<title> and aria-label). */
  title: string;
  locale: Locale;
}

const WIDTH = 640;
const ROW = 28;
const LABEL_CHARS = 28;

// One document for every chart: Plot only creates elements in it and the chart is serialised at once.
const { document } = parseHTML('<!doctype html><html><body></body></html>');

const short = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

/** Room for the longest label, at about 7 px a character at the chart's 12 px. */
const labelRoom = (labels: string[]) =>
  Math.min(220, 24 + 7 * Math.max(4, ...labels.map((l) => short(l).length)));

function layout(locale: Locale, labels: string[]) {
  const rtl = RTL_LOCALES.has(locale);
  const room = labelRoom(labels);
  return {
    rtl,
    margins: rtl ? { marginLeft: 40, marginRight: room } : { marginLeft: room, marginRight: 40 },
    x: {
      domain: [0, 100],
      reverse: rtl,
      grid: true,
      label: null,
      tickFormat: (n: number) => formatNumber(n, locale),
    },
    y: {
      domain: labels.map(short),
      axis: rtl ? ('right' as const) : ('left' as const),
      label: null,
      tickSize: 0,
    },
  };
}

/** The SVG as text, made safe for a strict CSP and labelled for assistive technology. */
function finish(svg: Element, text: ChartText): string {
  svg.querySelector('style')?.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  // Fonts and sizes come from the page's stylesheet (Vazirmatn for Arabic script).
  svg.removeAttribute('font-family');
  svg.removeAttribute('font-size');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', text.title);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = text.title;
  svg.insertBefore(title, svg.firstChild);
  return svg.outerHTML;
}

/** Horizontal bars of percentages, one per label, with the value written at the end of each bar. */
export function barChart(bars: Bar[], text: ChartText): string {
  const { rtl, margins, x, y } = layout(
    text.locale,
    bars.map((b) => b.label),
  );
  const data = bars.map((b) => ({ label: short(b.label), value: Math.max(0, Math.min(100, b.value)) }));
  const svg = Plot.plot({
    document,
    className: 'report-chart',
    width: WIDTH,
    height: 40 + ROW * Math.max(1, data.length),
    ...margins,
    x,
    y,
    marks: [
      Plot.barX(data, { x: 'value', y: 'label', className: 'report-chart-bar' }),
      Plot.ruleX([0]),
      Plot.text(data, {
        x: 'value',
        y: 'label',
        text: (d: { value: number }) => formatPercent(Math.round(d.value * 10) / 10, text.locale),
        textAnchor: rtl ? 'end' : 'start',
        dx: rtl ? -4 : 4,
        className: 'report-chart-value',
      }),
    ],
  }) as unknown as Element;
  return finish(svg, text);
}

/**
 * Before and after, one row per label: a dot for the pre-test, a dot for the post-test and a line between
 * them (long lines are large gains).
 */
export function prePostChart(rows: PrePost[], text: ChartText & { pre: string; post: string }): string {
  const { margins, x, y } = layout(
    text.locale,
    rows.map((r) => r.label),
  );
  const data = rows.map((r) => ({ label: short(r.label), pre: r.pre, post: r.post }));
  const points = data.flatMap((d) => [
    { label: d.label, value: d.pre, series: text.pre },
    { label: d.label, value: d.post, series: text.post },
  ]);
  const svg = Plot.plot({
    document,
    className: 'report-chart',
    width: WIDTH,
    height: 40 + ROW * Math.max(1, data.length),
    ...margins,
    x,
    y,
    color: { domain: [text.pre, text.post], range: ['#8a939c', '#0b5cab'] },
    marks: [
      Plot.link(data, { x1: 'pre', x2: 'post', y1: 'label', y2: 'label', strokeWidth: 3, stroke: '#8a939c' }),
      Plot.dot(points, { x: 'value', y: 'label', fill: 'series', r: 6, title: 'series' }),
    ],
  }) as unknown as Element;
  return finish(svg, text);
}
