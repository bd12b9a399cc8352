import type { UploadLimits } from '../../config/config.js';
import type { FileStore } from '../../core/file-store.js';
import { countValidCertificates } from '../../certificates/certificate-lists.service.js';
import { issueMissing } from '../../certificates/certificates.service.js';
import { anyCourseExists } from '../../courses/courses.service.js';
import { claimFirstRun, getSettings, markFirstRunDone } from '../../settings/settings.service.js';
import { anyUserExists } from '../../users/users.service.js';
import { loadDemoCourses } from './content.js';
import { createDemoPeople, DEMO_PASSWORD, MEMBERS } from './people.js';
import { PLANS, followPlan } from './progress.js';
import { createDemoRound } from './round.js';

/**
 * Loads the whole demo: the organisation, its people, the two courses from demo/courses, the round of
 * April 2019 and what its members did. Only into an empty database: the demo's accounts share a published
 * password, so they must never sit beside real ones.
 *
 * - no people and no courses, and no organisation set up: loads;
 * - no people and no courses, but an organisation's settings exist (setup begun, or everything else
 *   deleted): loads only with `force`, keeping the organisation's settings;
 * - any person or course: refuses, with or without `force`.
 */

export class DemoRefused extends Error {}

export const DEMO_ORGANISATION = 'Demo Anti-Trafficking Network';

/** One account per role, for the "sign in as" lines. */
export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@demo.sabaq' },
  { role: 'coordinator', email: 'coordinator1@demo.sabaq' },
  { role: 'trainer', email: 'trainer2@demo.sabaq' },
  { role: 'member', email: 'member1@demo.sabaq' },
] as const;

export interface DemoSummary {
  people: number;
  courses: { id: string; slug: string }[];
  roundId: string;
  certificates: number;
}

/** Why the demo may not load here, or null when it may. */
export async function demoRefusal(force: boolean): Promise<string | null> {
  if ((await anyUserExists()) || (await anyCourseExists()))
    return 'this database already has people or courses; the demo loads only into an empty one (use an empty DATA_DIR or database).';
  if (!force && (await getSettings()))
    return 'this database has an organisation set up, though no people or courses; add --force to load the demo into it.';
  return null;
}

export async function seedDemo(
  deps: { files: FileStore; limits: UploadLimits },
  options: { force?: boolean } = {},
): Promise<DemoSummary> {
  const refusal = await demoRefusal(options.force === true);
  if (refusal) throw new DemoRefused(refusal);
  // False when the organisation exists already (allowed by force above): its name and settings stay.
  await claimFirstRun(DEMO_ORGANISATION);
  const accounts = await createDemoPeople();
  await markFirstRunDone();
  const courses = await loadDemoCourses(accounts, deps);
  const roundId = await createDemoRound(
    accounts,
    courses.map((c) => c.id),
  );
  const round = { id: roundId, coordinatorId: accounts.get('coordinator1@demo.sabaq')!.id };
  for (const [slot, member] of MEMBERS.entries()) {
    const plans = PLANS[member.email] ?? {};
    for (const course of courses) {
      const plan = course.slug.startsWith('tip') ? plans.tip : plans.advocacy;
      if (plan) await followPlan(course, accounts.get(member.email)!.id, plan, slot, round);
    }
  }
  // Completions issue certificates through an event the app listens to; a command has no app, so they
  // are issued here, before it exits. (Where an app does listen, as with `npm run demo`, some are issued
  // by it: the count is of what exists, not of what this call issued.)
  let certificates = 0;
  for (const course of courses) {
    await issueMissing({ courseId: course.id });
    certificates += await countValidCertificates({ courseId: course.id });
  }
  return { people: accounts.size, courses, roundId, certificates };
}

export function describeLogins(): string {
  return [
    ...DEMO_LOGINS.map((l) => `  ${l.role.padEnd(12)} ${l.email}`),
    `  password for every demo account: "${DEMO_PASSWORD}"`,
  ].join('\n');
}
