import { User } from './user.model.js';

/**
 * Counts of people for reports. Read-only; names and details of people come from users.service
 * (peopleByIds), which says what a staff page may show of a person.
 */

/**
 * Everyone's province ('' when not recorded), by id, and whether they count as a member (active, with the
 * member role): one small read of every account instead of a lookup by thousands of ids.
 */
export async function provincesOfPeople(): Promise<Map<string, { province: string; member: boolean }>> {
  const rows = await User.find({}, { _id: 1, province: 1, roles: 1, status: 1 }).lean<
    { _id: unknown; province?: string | null; roles?: string[]; status?: string }[]
  >();
  return new Map(
    rows.map((u) => [
      String(u._id),
      {
        province: (u.province ?? '').trim(),
        member: u.status !== 'disabled' && (u.roles ?? []).includes('member'),
      },
    ]),
  );
}
