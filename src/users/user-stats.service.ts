import { User } from './user.model.js';

/**
 * Counts of people for reports. Read-only; names and details of people come from users.service
 * (peopleByIds), which says what a staff page may show of a person.
 */

/** Active members per province ('' for those whose province is not recorded), largest first. */
export async function membersByProvince(): Promise<{ province: string; members: number }[]> {
  const rows = await User.aggregate<{ _id: string | null; members: number }>([
    { $match: { roles: 'member', status: 'active' } },
    { $group: { _id: '$province', members: { $sum: 1 } } },
  ]);
  return rows
    .map((r) => ({ province: (r._id ?? '').trim(), members: r.members }))
    .sort((a, b) => b.members - a.members || a.province.localeCompare(b.province));
}
