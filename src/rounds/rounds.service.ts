import { Types } from 'mongoose';
import { ValidationError } from '../core/app-error.js';
import { isCalendarDay } from '../core/dates.js';
import { DEFAULT_PER_PAGE, paginate, type Page } from '../core/pagination.js';
import { literalPattern } from '../courses/courses.service.js';
import { enrolMany } from '../progress/progress.service.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { Round, type RoundDoc } from './round.model.js';

export type { RoundDoc } from './round.model.js';

/**
 * Training rounds: who is in them, which courses they follow, who came on which day. Linking a course
 * enrols every member, and adding a member enrols them in every linked course. Both changes are one
 * atomic update that returns the round as it is afterwards, and each then enrols what that round lists:
 * whichever of a concurrent "add member" and "link course" comes second sees the other, so nobody is
 * left out. Enrolment is an idempotent upsert, so enrolling twice is harmless.
 */

/** A round lasts at most this many days: the attendance grid has a column per day. */
export const MAX_ROUND_DAYS = 62;

export interface RoundDetails {
  name: string;
  startDate: string;
  endDate: string;
  venue: string;
  province: string;
  partners: string[];
}

const oid = (v: string) => new Types.ObjectId(v);
const validId = (v: unknown): v is string => typeof v === 'string' && Types.ObjectId.isValid(v);

function dayNumber(day: string): number {
  return (
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000
  );
}

/** Every day of the round, first to last. */
export function roundDays(round: Pick<RoundDoc, 'startDate' | 'endDate'>): string[] {
  const first = dayNumber(round.startDate);
  const last = Math.min(dayNumber(round.endDate), first + MAX_ROUND_DAYS - 1);
  const days: string[] = [];
  for (let n = first; n <= last; n += 1) days.push(new Date(n * 86_400_000).toISOString().slice(0, 10));
  return days;
}

function checkDates(d: RoundDetails): void {
  if (!isCalendarDay(d.startDate)) throw new ValidationError('startDate', 'validation.date');
  if (!isCalendarDay(d.endDate)) throw new ValidationError('endDate', 'validation.date');
  const length = dayNumber(d.endDate) - dayNumber(d.startDate) + 1;
  if (length < 1) throw new ValidationError('endDate', 'rounds.endBeforeStart');
  if (length > MAX_ROUND_DAYS) throw new ValidationError('endDate', 'rounds.tooLong');
}

export async function createRound(details: RoundDetails, actorId: string): Promise<string> {
  checkDates(details);
  const round = await Round.create({ ...details, createdBy: oid(actorId) });
  await recordAuditEvent({
    actorId,
    action: 'round.create',
    targetType: 'round',
    targetId: String(round._id),
    details: { name: details.name },
  });
  return String(round._id);
}

export async function updateRound(id: string, details: RoundDetails): Promise<void> {
  checkDates(details);
  if (!validId(id)) return;
  await Round.updateOne({ _id: id }, { $set: details }, { runValidators: true });
}

export async function findRound(id: unknown): Promise<RoundDoc | null> {
  if (!validId(id)) return null;
  return Round.findById(id).lean<RoundDoc>();
}

export type RoundWhen = 'current' | 'upcoming' | 'past';

export interface RoundQuery {
  /** Part of the name, venue or province. */
  q?: string;
  when?: RoundWhen;
  /** Today in the organisation's time zone (YYYY-MM-DD), which decides "under way". */
  today: string;
}

function roundFilter(query: RoundQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.q) {
    const re = new RegExp(literalPattern(query.q), 'i');
    filter.$or = [{ name: re }, { venue: re }, { province: re }];
  }
  if (query.when === 'current')
    Object.assign(filter, { startDate: { $lte: query.today }, endDate: { $gte: query.today } });
  if (query.when === 'upcoming') filter.startDate = { $gt: query.today };
  if (query.when === 'past') filter.endDate = { $lt: query.today };
  return filter;
}

/** Rounds, latest start first, one page at a time. */
export async function listRounds(
  query: RoundQuery,
  page: number,
  perPage = DEFAULT_PER_PAGE,
): Promise<Page<RoundDoc>> {
  const filter = roundFilter(query);
  return paginate(
    page,
    perPage,
    (skip, limit) =>
      Round.find(filter).sort({ startDate: -1, _id: -1 }).skip(skip).limit(limit).lean<RoundDoc[]>().exec(),
    () => Round.countDocuments(filter).exec(),
  );
}

/** Every round, for filters and reports (an organisation runs tens of rounds a year, not thousands). */
export async function allRounds(): Promise<RoundDoc[]> {
  return Round.find({}).sort({ startDate: -1, _id: -1 }).lean<RoundDoc[]>();
}

/** The rounds a person is in as a member. */
export async function roundsOfMember(userId: string): Promise<RoundDoc[]> {
  if (!validId(userId)) return [];
  return Round.find({ memberIds: oid(userId) })
    .sort({ startDate: -1 })
    .lean<RoundDoc[]>();
}

/** The rounds a trainer trains in. */
export async function roundsOfTrainer(userId: string): Promise<RoundDoc[]> {
  if (!validId(userId)) return [];
  return Round.find({ trainerIds: oid(userId) })
    .sort({ startDate: -1 })
    .lean<RoundDoc[]>();
}

/** The name of the latest round in which this member follows this course, for their certificate. */
export async function roundNameFor(userId: string, courseId: string): Promise<string> {
  if (!validId(userId) || !validId(courseId)) return '';
  const round = await Round.findOne({ memberIds: oid(userId), courseIds: oid(courseId) }, { name: 1 })
    .sort({ startDate: -1 })
    .lean<Pick<RoundDoc, 'name'>>();
  return round?.name ?? '';
}

async function enrolAll(memberIds: Types.ObjectId[], courseIds: Types.ObjectId[]): Promise<void> {
  // Bulk writes: an import adds thousands of members at once, and one upsert each took seconds per course.
  for (const c of courseIds) await enrolMany(memberIds.map(String), String(c));
}

/** Adds members (ids already checked to be people) and enrols them in the round's courses. */
export async function addMembers(roundId: string, userIds: string[], actorId: string): Promise<number> {
  const ids = [...new Set(userIds)].filter(validId).map(oid);
  if (!validId(roundId) || ids.length === 0) return 0;
  const before = await Round.findOneAndUpdate(
    { _id: roundId },
    { $addToSet: { memberIds: { $each: ids } } },
    { projection: { memberIds: 1 }, returnDocument: 'before' },
  ).lean<Pick<RoundDoc, 'memberIds'>>();
  if (!before) return 0;
  const after = await Round.findById(roundId, { courseIds: 1 }).lean<Pick<RoundDoc, 'courseIds'>>();
  await enrolAll(ids, after?.courseIds ?? []);
  const had = new Set(before.memberIds.map(String));
  const added = ids.filter((i) => !had.has(String(i))).length;
  if (added)
    await recordAuditEvent({
      actorId,
      action: 'round.addMembers',
      targetType: 'round',
      targetId: roundId,
      details: { count: added },
    });
  return added;
}

/** Takes a member out of the round; their enrolments, progress and attendance so far stay. */
export async function removeMember(roundId: string, userId: string, actorId: string): Promise<void> {
  if (!validId(roundId) || !validId(userId)) return;
  // Matched only when they are a member: the schema's timestamps make every update count as modified.
  const res = await Round.updateOne(
    { _id: roundId, memberIds: oid(userId) },
    { $pull: { memberIds: oid(userId) } },
  );
  if (res.matchedCount)
    await recordAuditEvent({
      actorId,
      action: 'round.removeMember',
      targetType: 'round',
      targetId: roundId,
      details: { userId },
    });
}

export async function addTrainer(roundId: string, userId: string): Promise<void> {
  if (!validId(roundId) || !validId(userId)) return;
  await Round.updateOne({ _id: roundId }, { $addToSet: { trainerIds: oid(userId) } });
}

export async function removeTrainer(roundId: string, userId: string): Promise<void> {
  if (!validId(roundId) || !validId(userId)) return;
  await Round.updateOne({ _id: roundId }, { $pull: { trainerIds: oid(userId) } });
}

/** Links a course (already checked to be published) and enrols every member of the round in it. */
export async function linkCourse(roundId: string, courseId: string): Promise<void> {
  if (!validId(roundId) || !validId(courseId)) return;
  await Round.updateOne({ _id: roundId }, { $addToSet: { courseIds: oid(courseId) } });
  const after = await Round.findById(roundId, { memberIds: 1 }).lean<Pick<RoundDoc, 'memberIds'>>();
  await enrolAll(after?.memberIds ?? [], [oid(courseId)]);
}

/** Unlinking keeps the members' enrolments: what they did in the course is theirs. */
export async function unlinkCourse(roundId: string, courseId: string): Promise<void> {
  if (!validId(roundId) || !validId(courseId)) return;
  await Round.updateOne({ _id: roundId }, { $pull: { courseIds: oid(courseId) } });
}

/**
 * Sets who was present on each day given (the grid is sent whole). Only the round's own days and its
 * current members count; anything else in the form is refused, not silently dropped.
 */
export async function setAttendance(
  round: Pick<RoundDoc, '_id' | 'startDate' | 'endDate' | 'memberIds'>,
  presentByDay: Record<string, string[]>,
): Promise<void> {
  const days = new Set(roundDays(round));
  const members = new Set(round.memberIds.map(String));
  const $set: Record<string, Types.ObjectId[]> = {};
  for (const [day, ids] of Object.entries(presentByDay)) {
    if (!days.has(day)) throw new ValidationError('attendance', 'rounds.notARoundDay');
    if (ids.some((i) => !members.has(i))) throw new ValidationError('attendance', 'rounds.notAMember');
    $set[`attendance.${day}`] = [...new Set(ids)].map(oid);
  }
  if (!Object.keys($set).length) return;
  // Everyone marked present must still be a member when the write lands: a member taken out meanwhile is
  // not written back in as present.
  const marked = [...new Set(Object.values(presentByDay).flat())].map(oid);
  // ($all of an empty list matches nothing in MongoDB, so a day of nobody present has no condition.)
  const filter = marked.length ? { _id: round._id, memberIds: { $all: marked } } : { _id: round._id };
  const res = await Round.updateOne(filter, { $set });
  if (res.matchedCount === 0) throw new ValidationError('attendance', 'rounds.notAMember', 409);
}

/**
 * How many of the round's days each member attended. Only the round's current days count: days left
 * outside by a change of dates keep their record (it comes back if the dates do) but are not counted.
 */
export function daysPresent(
  round: Pick<RoundDoc, 'attendance' | 'startDate' | 'endDate'>,
): Map<string, number> {
  const count = new Map<string, number>();
  for (const day of roundDays(round))
    for (const id of round.attendance?.[day] ?? []) count.set(String(id), (count.get(String(id)) ?? 0) + 1);
  return count;
}

/** For the people export and import. */

/** Every member's rounds by name, oldest round first, for the people export's round column. */
export async function roundNamesByMember(): Promise<Map<string, string[]>> {
  const rounds = await Round.find({}, { name: 1, memberIds: 1 })
    .sort({ startDate: 1, _id: 1 })
    .lean<Pick<RoundDoc, 'name' | 'memberIds'>[]>();
  const byMember = new Map<string, string[]>();
  for (const r of rounds)
    for (const m of r.memberIds) {
      const key = String(m);
      const names = byMember.get(key);
      if (names) names.push(r.name);
      else byMember.set(key, [r.name]);
    }
  return byMember;
}
