import type { TFunction } from 'i18next';
import type { GroupRow, RoundReport } from './group-reports.service.js';
import type { MemberTimeline } from './member-timeline.service.js';
import { csvNumber as n } from './report-format.js';
import type { CourseFigures, GainSummary } from './report-figures.js';
import type { CourseReport, KnowledgeGainReport, LabelledGain } from './reports.service.js';

/**
 * Each report as one table for a spreadsheet: column names in the reader's language, figures as plain
 * numbers (report-format). Names and figures only: no email addresses, no ids of people.
 */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

const figureHeader = (t: TFunction) => [
  t('reports.figures.enrolled'),
  t('reports.figures.notStarted'),
  t('reports.figures.inProgress'),
  t('reports.figures.completed'),
  t('reports.figures.completionRate'),
  t('reports.figures.averageBestScore'),
  t('reports.figures.medianDays'),
];
const figureCells = (f: CourseFigures) => [
  n.count(f.enrolled),
  n.count(f.notStarted),
  n.count(f.inProgress),
  n.count(f.completed),
  n.percent(f.completionRate),
  n.percent(f.averageBestScore),
  n.days(f.medianDaysToComplete),
];
const gainHeader = (t: TFunction) => [
  t('reports.gain.pairs'),
  t('reports.gain.meanPre'),
  t('reports.gain.meanPost'),
  t('reports.gain.rawGain'),
  t('reports.gain.hake'),
  t('reports.gain.individual'),
];
const gainCells = (g: GainSummary) => [
  n.count(g.pairs),
  n.percent(g.meanPre),
  n.percent(g.meanPost),
  n.percent(g.meanRawGain),
  n.gain(g.hakeGain),
  n.gain(g.meanIndividualGain),
];

export function courseCsv(r: CourseReport, t: TFunction): CsvTable {
  return {
    header: [t('reports.course'), ...figureHeader(t), ...gainHeader(t)],
    rows: [[r.course.title, ...figureCells(r.figures), ...gainCells(r.gain)]],
  };
}

/** The course line first, then one line per module, then one per question; the first column says which. */
export function knowledgeGainCsv(r: KnowledgeGainReport, t: TFunction): CsvTable {
  const item = (level: string, g: LabelledGain, module: string) => [
    level,
    module,
    level === 'question' ? g.label : '',
    n.count(Math.min(g.preCount, g.postCount)),
    n.percent(g.preCorrect),
    n.percent(g.postCorrect),
    n.percent(g.gain),
    n.gain(g.normalised),
    '',
  ];
  const s = r.summary;
  return {
    header: [
      t('reports.csv.level'),
      t('reports.gain.module'),
      t('reports.gain.question'),
      t('reports.gain.pairsOrAnswers'),
      t('reports.gain.pre'),
      t('reports.gain.post'),
      t('reports.gain.rawGain'),
      t('reports.gain.hake'),
      t('reports.gain.individual'),
    ],
    rows: [
      [
        'course',
        r.course.title,
        '',
        n.count(s.pairs),
        n.percent(s.meanPre),
        n.percent(s.meanPost),
        n.percent(s.meanRawGain),
        n.gain(s.hakeGain),
        n.gain(s.meanIndividualGain),
      ],
      ...r.modules.map((m) => item('module', m, m.label)),
      ...r.questions.map((q) => item('question', q, q.moduleLabel ?? '')),
    ],
  };
}

/** One line per member of the round: attendance, and their standing in each linked course. */
export function roundCsv(r: RoundReport, t: TFunction): CsvTable {
  return {
    header: [
      t('reports.person'),
      t('reports.organisation'),
      t('reports.province'),
      t('reports.round.daysPresent'),
      t('reports.round.days'),
      ...r.courses.map((c) => c.title),
    ],
    rows: r.people.map((p) => [
      p.name,
      p.organisation,
      p.province,
      n.count(p.daysPresent),
      n.count(r.days.length),
      ...p.statuses.map((s) => (s ? t(`reports.status.${s}`) : t('reports.status.notEnrolled'))),
    ]),
  };
}

export function groupCsv(rows: GroupRow[], t: TFunction, kind: 'province' | 'trainer'): CsvTable {
  return {
    header: [
      t(kind === 'province' ? 'reports.province' : 'reports.trainer'),
      ...(kind === 'trainer' ? [t('reports.trainers.rounds')] : []),
      t('reports.members'),
      ...figureHeader(t),
      ...gainHeader(t),
    ],
    rows: rows.map((r) => [
      r.label || (kind === 'province' ? t('reports.provinces.unknown') : ''),
      ...(kind === 'trainer' ? [n.count(r.rounds ?? 0)] : []),
      n.count(r.members),
      ...figureCells(r.figures),
      ...gainCells(r.gain),
    ]),
  };
}

export function timelineCsv(r: MemberTimeline, t: TFunction): CsvTable {
  return {
    header: [
      t('reports.timeline.when'),
      t('reports.timeline.event'),
      t('reports.course'),
      t('reports.timeline.detail'),
    ],
    rows: [
      ...r.events.map((e) => {
        const detail =
          e.kind === 'attempt'
            ? `${e.quiz || t(`reports.timeline.kinds.${e.quizKind}`)} #${e.number}: ${n.percent(e.percent)} %`
            : e.kind === 'completed'
              ? n.days(e.days)
              : e.kind === 'certificate' && e.revoked
                ? t('reports.timeline.revoked')
                : '';
        return [e.at.toISOString(), t(`reports.timeline.${e.kind}`), e.course, detail];
      }),
      ...r.rounds.map((x) => [
        x.startDate,
        t('reports.timeline.round'),
        x.name,
        `${x.daysPresent}/${x.days}`,
      ]),
    ],
  };
}
