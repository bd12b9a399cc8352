import type { Request, RequestHandler, Response } from 'express';
import { recordAuditEvent } from '../audit/audit.service.js';
import { sendCsv } from '../core/csv-export.js';
import { barChart, prePostChart } from './report-chart.js';
import * as csv from './report-csv.js';
import { parseRange, rangeQuery, type ReportRange } from './report-filters.js';
import { pageFormat } from './report-format.js';
import { provincesReport, roundReport, trainersReport } from './group-reports.service.js';
import { memberTimeline } from './member-timeline.service.js';
import { courseReport, knowledgeGainReport, reportIndex } from './reports.service.js';

/**
 * Thin: read the range, ask the service, then draw the page (with its chart) or send the CSV. A CSV is
 * recorded in the audit log before it is sent (who exported which report, with which range), so no
 * export can leave without a trace.
 */

const rangeOf = (req: Request, res: Response): ReportRange =>
  parseRange(req.query, String(res.locals.timeZone));

function page(res: Response, view: string, range: ReportRange, csvPath: string | null, locals: object): void {
  res.render(`reports/${view}`, {
    range,
    rangeQuery: (extra?: Record<string, string>) => rangeQuery(range, extra),
    csvHref: csvPath ? `${csvPath}${rangeQuery(range)}` : null,
    fmt: pageFormat(res.locals.locale as Parameters<typeof pageFormat>[0]),
    ...locals,
  });
}

async function exportCsv(
  req: Request,
  res: Response,
  report: string,
  range: ReportRange,
  table: csv.CsvTable,
) {
  await recordAuditEvent({
    actorId: req.user!.id,
    action: 'report.export',
    targetType: 'report',
    targetId: report,
    details: { filters: { from: range.fromDay ?? null, to: range.toDay ?? null }, rows: table.rows.length },
  });
  const day = new Date().toISOString().slice(0, 10);
  await sendCsv(res, `${report.replace(/[^\w-]+/g, '-')}-${day}.csv`, table.header, table.rows);
}

const param = (req: Request) => String(req.params.id);

export const index: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  page(res, 'index', range, null, {
    title: req.t('reports.title'),
    data: await reportIndex(req.user!, req.locale),
  });
};

export const course: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await courseReport(param(req), range, req.locale);
  const f = report.figures;
  const share = (n: number) => (f.enrolled ? (n / f.enrolled) * 100 : 0);
  const chart = barChart(
    [
      { label: req.t('reports.status.notStarted'), value: share(f.notStarted) },
      { label: req.t('reports.status.inProgress'), value: share(f.inProgress) },
      { label: req.t('reports.status.completed'), value: share(f.completed) },
    ],
    { title: req.t('reports.courseReport.chart', { course: report.course.title }), locale: req.locale },
  );
  page(res, 'course', range, `/coord/reports/course/${report.course.id}.csv`, {
    title: report.course.title,
    report,
    chart,
  });
};

export const courseCsv: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await courseReport(param(req), range, req.locale);
  await exportCsv(req, res, `course-${report.course.id}`, range, csv.courseCsv(report, req.t));
};

async function gainFor(req: Request, res: Response) {
  const range = rangeOf(req, res);
  const courseId = typeof req.query.course === 'string' ? req.query.course : '';
  const report = await knowledgeGainReport(courseId, range, req.locale, req.t('reports.gain.general'));
  return { range, report };
}

export const knowledgeGain: RequestHandler = async (req, res) => {
  if (req.query.course === undefined) {
    const range = rangeOf(req, res);
    page(res, 'choose-course', range, null, {
      title: req.t('reports.gain.title'),
      courses: (await reportIndex(req.user!, req.locale)).courses.filter((c) => c.hasPrePost),
    });
    return;
  }
  const { range, report } = await gainFor(req, res);
  const chart = report.modules.some((m) => m.preCorrect !== null && m.postCorrect !== null)
    ? prePostChart(
        report.modules.map((m) => ({ label: m.label, pre: m.preCorrect ?? 0, post: m.postCorrect ?? 0 })),
        {
          title: req.t('reports.gain.chart', { course: report.course.title }),
          locale: req.locale,
          pre: req.t('reports.gain.pre'),
          post: req.t('reports.gain.post'),
        },
      )
    : '';
  const csvPath = `/coord/reports/knowledge-gain.csv?course=${report.course.id}`;
  page(res, 'knowledge-gain', range, null, {
    title: req.t('reports.gain.titleOf', { course: report.course.title }),
    report,
    chart,
    csvHref: `${csvPath}${rangeQuery(range).replace('?', '&')}`,
  });
};

export const knowledgeGainCsv: RequestHandler = async (req, res) => {
  const { range, report } = await gainFor(req, res);
  await exportCsv(req, res, `knowledge-gain-${report.course.id}`, range, csv.knowledgeGainCsv(report, req.t));
};

export const round: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await roundReport(param(req), range, req.locale);
  const fmtDay = res.locals.formatDate as (d: Date) => string;
  const chart = report.members
    ? barChart(
        report.days.map((d) => ({
          label: fmtDay(new Date(`${d.day}T12:00:00Z`)),
          value: (d.present / report.members) * 100,
        })),
        { title: req.t('reports.round.chart', { round: report.round.name }), locale: req.locale },
      )
    : '';
  page(res, 'round', range, `/coord/reports/round/${report.round.id}.csv`, {
    title: report.round.name,
    report,
    chart,
  });
};

export const roundCsv: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await roundReport(param(req), range, req.locale);
  await exportCsv(req, res, `round-${report.round.id}`, range, csv.roundCsv(report, req.t));
};

function groupChart(
  req: Request,
  rows: Awaited<ReturnType<typeof provincesReport>>,
  title: string,
  unknown: string,
) {
  const shown = rows.filter((r) => r.figures.completionRate !== null);
  return shown.length
    ? barChart(
        shown.map((r) => ({ label: r.label || unknown, value: r.figures.completionRate! })),
        { title, locale: req.locale },
      )
    : '';
}

export const provinces: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const rows = await provincesReport(req.user!, range);
  const unknown = req.t('reports.provinces.unknown');
  page(res, 'groups', range, '/coord/reports/provinces.csv', {
    title: req.t('reports.provinces.title'),
    kind: 'province',
    rows,
    unknown,
    chart: groupChart(req, rows, req.t('reports.provinces.chart'), unknown),
  });
};

export const provincesCsv: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  await exportCsv(
    req,
    res,
    'provinces',
    range,
    csv.groupCsv(await provincesReport(req.user!, range), req.t, 'province'),
  );
};

export const trainers: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const rows = await trainersReport(range);
  page(res, 'groups', range, '/coord/reports/trainers.csv', {
    title: req.t('reports.trainers.title'),
    kind: 'trainer',
    rows,
    unknown: '',
    chart: groupChart(req, rows, req.t('reports.trainers.chart'), ''),
  });
};

export const trainersCsv: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  await exportCsv(req, res, 'trainers', range, csv.groupCsv(await trainersReport(range), req.t, 'trainer'));
};

export const member: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await memberTimeline(param(req), range, req.locale);
  page(res, 'member', range, `/coord/reports/member/${report.person.id}.csv`, {
    title: report.person.name,
    report,
  });
};

export const memberCsv: RequestHandler = async (req, res) => {
  const range = rangeOf(req, res);
  const report = await memberTimeline(param(req), range, req.locale);
  await exportCsv(req, res, `member-${report.person.id}`, range, csv.timelineCsv(report, req.t));
};
