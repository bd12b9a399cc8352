import {
  addMembers,
  addTrainer,
  createRound,
  findRound,
  linkCourse,
  setAttendance,
} from '../../rounds/rounds.service.js';
import { enrolMany } from '../../progress/progress.service.js';
import type { SessionUser } from '../../users/users.service.js';
import { MEMBERS } from './people.js';

/**
 * The round of the network's news page: the second round of advocacy training, 24–27 April 2019, for 14
 * members. Its people are invented; its dates and size are the page's.
 */
export const ROUND = {
  name: 'Advocacy training — round 2',
  startDate: '2019-04-24',
  endDate: '2019-04-27',
  venue: 'Secretariat conference hall',
  province: 'Kabul',
  partners: ['Paiwand Community Network', 'Roshani Women’s Legal Aid'],
};

/** Who missed which day: a few absences, as in any four-day training. */
const ABSENT: Record<string, string[]> = {
  '2019-04-24': ['omid.barakzai@demo.sabaq'],
  '2019-04-25': ['bashir.hotak@demo.sabaq'],
  '2019-04-26': ['rahmatullah.popal@demo.sabaq'],
  '2019-04-27': ['rahmatullah.popal@demo.sabaq', 'habibullah.mangal@demo.sabaq'],
};

export async function createDemoRound(
  accounts: Map<string, SessionUser>,
  courseIds: string[],
): Promise<string> {
  const id = (email: string) => accounts.get(email)!.id;
  const coordinator = id('coordinator1@demo.sabaq');
  const roundId = await createRound(ROUND, coordinator);
  await addTrainer(roundId, id('trainer2@demo.sabaq'));
  await addTrainer(roundId, id('trainer1@demo.sabaq'));
  // The members enrolled on the round's first morning, as they were; linking then finds them enrolled.
  const firstMorning = new Date(`${ROUND.startDate}T04:00:00Z`);
  for (const courseId of courseIds) {
    await enrolMany(
      MEMBERS.map((m) => id(m.email)),
      courseId,
      firstMorning,
    );
    await linkCourse(roundId, courseId);
  }
  await addMembers(
    roundId,
    MEMBERS.map((m) => id(m.email)),
    coordinator,
  );
  const round = (await findRound(roundId))!;
  await setAttendance(
    round,
    Object.fromEntries(
      Object.entries(ABSENT).map(([day, away]) => [
        day,
        MEMBERS.filter((m) => !away.includes(m.email)).map((m) => id(m.email)),
      ]),
    ),
  );
  return roundId;
}
