/**
 * Many people at once, written straight to the store: for rounds and sheets that need tens of members who
 * never sign in (making each through createUser would hash a password per person).
 */
import { User } from '../../src/users/user.model.js';

export interface PersonRowFixture {
  id: string;
  displayName: string;
  email: string;
}

let batch = 0;

/** "<prefix> 01", "<prefix> 02" …: names that sort in their number's order. */
export const numberedNames = (count: number, prefix: string): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(2, '0')}`);

/** Active accounts with these display names (members unless roles are given), sharing the fields given. */
export async function insertPeople(
  names: string[],
  fields: { organisation?: string; province?: string; localName?: string; roles?: string[] } = {},
): Promise<PersonRowFixture[]> {
  batch += 1;
  const made = await User.insertMany(
    names.map((displayName, i) => ({
      email: `person-${batch}-${i + 1}-${Date.now().toString(36)}@example.org`,
      displayName,
      passwordHash: 'not-a-usable-hash',
      roles: ['member'],
      ...fields,
    })),
  );
  return made.map((u) => ({ id: String(u._id), displayName: u.displayName, email: u.email }));
}
