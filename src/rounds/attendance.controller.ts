import type { Request, RequestHandler, Response } from 'express';
import { recordAuditEvent } from '../audit/audit.service.js';
import { ValidationError } from '../core/app-error.js';
import { formatNumber, RTL_LOCALES } from '../core/i18n.js';
import { hasRole } from '../core/roles.js';
import { parseForm } from '../core/validation.js';
import { getSettings } from '../settings/settings.service.js';
import { peopleByIds } from '../users/users.service.js';
import { attendanceSheet } from './attendance-sheet.js';
import { membersOf, roundOf } from './rounds.controller.js';
import { attendanceSchema } from './rounds.schemas.js';
import { roundDays, setAttendance } from './rounds.service.js';
import { formatDay } from '../core/dates.js';

/**
 * Attendance: a grid of checkboxes (a row per member, a column per day) that works without JavaScript,
 * one day at a time on a phone (`?day=`), and a printable sign-in sheet per day.
 */

/** A grid above this many boxes is shown one day at a time (a form may carry at most 500 fields). */
const MAX_GRID_BOXES = 450;

async function renderGrid(req: Request, res: Response, status = 200, error?: string): Promise<void> {
  const round = roundOf(res);
  const days = roundDays(round);
  const members = await membersOf(res);
  const asked = typeof req.query.day === 'string' && days.includes(req.query.day) ? req.query.day : '';
  const oneDay = asked || (members.length * days.length > MAX_GRID_BOXES ? days[0] : '');
  const present = new Map(
    Object.entries(round.attendance ?? {}).map(([d, ids]) => [d, new Set(ids.map(String))]),
  );
  res.status(status).render('rounds/attendance', {
    title: req.t('rounds.attendance'),
    round,
    days,
    shown: oneDay ? [oneDay] : days,
    oneDay,
    members,
    isPresent: (day: string, id: string) => present.get(day)?.has(id) ?? false,
    error,
    saved: req.query.saved === '1',
  });
}

export const showAttendance: RequestHandler = (req, res) => renderGrid(req, res);

export const postAttendance: RequestHandler = async (req, res) => {
  const round = roundOf(res);
  const form = parseForm(attendanceSchema, req.body);
  if (!form.ok) return renderGrid(req, res, 422, 'rounds.badAttendance');
  const byDay = Object.fromEntries(form.data.days.map((d) => [d, form.data.present[d] ?? []]));
  // A box for a day the form did not list is a form that was not ours.
  if (Object.keys(form.data.present).some((d) => !(d in byDay)))
    return renderGrid(req, res, 422, 'rounds.badAttendance');
  try {
    await setAttendance(round, byDay);
  } catch (err) {
    if (err instanceof ValidationError) return renderGrid(req, res, err.status, err.message);
    throw err;
  }
  const day = form.data.days.length === 1 ? `&day=${form.data.days[0]}` : '';
  res.redirect(303, `/coord/rounds/${String(round._id)}/attendance?saved=1${day}`);
};

/** The sign-in sheet as a PDF, in the reader's language; `?day=` for one day, else every day. */
export const attendancePdf: RequestHandler = async (req, res) => {
  const round = roundOf(res);
  const all = roundDays(round);
  const days = typeof req.query.day === 'string' && all.includes(req.query.day) ? [req.query.day] : all;
  const [members, trainers, settings] = await Promise.all([
    membersOf(res),
    peopleByIds(round.trainerIds.map(String)),
    getSettings(),
  ]);
  const day = (d: string) => formatDay(d, req.locale);
  const doc = attendanceSheet(
    {
      name: round.name,
      dates: `${day(round.startDate)} – ${day(round.endDate)}`,
      venue: round.venue,
      province: round.province,
      trainers: [...trainers.values()].map((p) => p.displayName),
      partners: round.partners,
    },
    members,
    {
      t: req.t,
      rtl: RTL_LOCALES.has(req.locale),
      organisation: settings?.organisationName ?? '',
      days: days.map((d) => ({ label: day(d), n: all.indexOf(d) + 1 })),
      totalDays: all.length,
      lang: req.locale,
      num: (n) => formatNumber(n, req.locale),
      withOrganisation: hasRole(req.user, 'coordinator', 'admin'),
    },
  );
  // A sheet of names is an export: who printed it, and when, is kept.
  await recordAuditEvent({
    actorId: req.user!.id,
    action: 'round.printSheet',
    targetType: 'round',
    targetId: String(round._id),
    details: { days: days.length },
  });
  res.type('application/pdf');
  res.setHeader('Content-Disposition', `inline; filename="attendance-${round.startDate}.pdf"`);
  res.setHeader('Cache-Control', 'no-store');
  doc.pipe(res);
  doc.end();
};
