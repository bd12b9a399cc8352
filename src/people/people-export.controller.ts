import type { RequestHandler } from 'express';
import { recordAuditEvent } from '../audit/audit.service.js';
import { sendCsv } from '../core/csv-export.js';
import { coursesEditableBy } from '../courses/courses.service.js';
import { activeEnrolmentsByPerson } from '../progress/progress.service.js';
import { roundNamesByMember } from '../rounds/rounds.service.js';
import { countPeople, everyPerson } from '../users/users.service.js';
import { TEXT_COLUMNS } from './people-import-rows.js';

/**
 * The people of the organisation as a CSV in Moodle's upload-users columns (email, firstname, lastname,
 * …, course1..n), plus the name in Dari/Pashto script, so the same file can go back in through an import
 * or into Moodle. Staff only; every export is audited.
 */

/** Moodle wants a first and a last name: the last word is the last name, the rest the first. */
export function splitName(displayName: string): [string, string] {
  const words = displayName.trim().split(/\s+/);
  if (words.length < 2) return [words[0] ?? '', ''];
  return [words.slice(0, -1).join(' '), words[words.length - 1]!];
}

/** Between the round names of one person: a comma would need quoting, and round names rarely hold one. */
export const ROUND_SEPARATOR = '; ';

export const exportPeople: RequestHandler = async (req, res) => {
  const [courses, enrolments, roundNames] = await Promise.all([
    coursesEditableBy(req.user!),
    activeEnrolmentsByPerson(),
    roundNamesByMember(),
  ]);
  const slugOf = new Map(courses.map((c) => [c.id, c.slug]));
  const widest = Math.max(
    0,
    ...[...enrolments.values()].map((ids) => ids.filter((i) => slugOf.has(i)).length),
  );
  // The import's own columns, so an export can be imported back as it is.
  const header = [...TEXT_COLUMNS, ...Array.from({ length: widest }, (_, i) => `course${i + 1}`)];
  // Recorded before the first byte: a download cut off half way has still taken what it got.
  await recordAuditEvent({
    actorId: req.user!.id,
    action: 'people.export',
    targetType: 'people',
    targetId: 'all',
    details: { rows: await countPeople() },
  });
  async function* rows() {
    for await (const p of everyPerson()) {
      const [first, last] = splitName(p.displayName);
      const slugs = (enrolments.get(p.id) ?? []).flatMap((id) => slugOf.get(id) ?? []);
      yield [
        p.email,
        first,
        last,
        p.localName,
        p.organisation,
        p.province,
        p.roles.join(' '),
        p.status,
        // Every round the person is in, oldest first, joined by "; " (the import reads it back the same way).
        (roundNames.get(p.id) ?? []).join(ROUND_SEPARATOR),
        // Every row as wide as the header: a CSV is a rectangle, whoever has fewer courses.
        ...Array.from({ length: widest }, (_, i) => slugs[i] ?? ''),
      ];
    }
  }
  await sendCsv(res, `people-${new Date().toISOString().slice(0, 10)}.csv`, header, rows());
};
