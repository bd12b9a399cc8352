/**
 * Seeds the quiz burst: a published course with a 16-question module quiz, `MEMBERS` members enrolled in
 * it, and a signed-in session for each, written straight into the session store (2,000 sign-ins through
 * the form would be throttled, as they should be, and would measure the password hash, not the quiz).
 * Prints JSON: the quiz page's path and one session cookie per member.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Types } from 'mongoose';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/core/database.js';
import { createLogger } from '../../src/core/logger.js';
import { createSessionStore, SESSION_COOKIE } from '../../src/core/session.js';
import { Course } from '../../src/courses/course.model.js';
import { Enrolment } from '../../src/progress/enrolment.model.js';
import { User } from '../../src/users/user.model.js';
import { addBenchQuiz } from './quiz-fixture.js';

const MEMBERS = Number(process.env.MEMBERS ?? 2000);
const secret = process.env.SESSION_SECRET ?? '';

const db = await openDatabase(loadConfig(), createLogger('warn'));
try {
  const lessonId = new Types.ObjectId();
  const moduleId = new Types.ObjectId();
  const course = await Course.create({
    slug: 'burst',
    primaryLocale: 'en',
    locales: ['en', 'fa-AF'],
    title: { en: 'Trafficking in persons: the law', 'fa-AF': 'قاچاق انسان: قانون' },
    status: 'published',
    authors: [new Types.ObjectId()],
    modules: [
      {
        _id: moduleId,
        title: { en: 'The law' },
        lessons: [{ _id: lessonId, title: { en: 'Elements' }, body: { en: 'Act, means, purpose.' } }],
      },
    ],
  });
  const quiz = await addBenchQuiz(course._id, moduleId);
  const users = await User.insertMany(
    Array.from({ length: MEMBERS }, (_, i) => ({
      email: `burst${i}@bench.test`,
      displayName: `Member ${i}`,
      // Never used: these members arrive already signed in.
      passwordHash: `$argon2id$unused$${randomBytes(8).toString('hex')}`,
      roles: ['member'],
    })),
  );
  await Enrolment.insertMany(users.map((u) => ({ userId: u._id, courseId: course._id, status: 'active' })));
  const store = createSessionStore(db.connection.getClient(), db.connection.name);
  const set = promisify(store.set.bind(store));
  const cookies: string[] = [];
  for (const u of users) {
    const sid = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + 30 * 60_000);
    await set(sid, {
      cookie: {
        originalMaxAge: 30 * 60_000,
        expires,
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
        secure: false,
      },
      passport: { user: { id: String(u._id), gen: 0 } },
      signedInAt: Date.now(),
      remember: false,
    } as never);
    // express-session's signed cookie: "s:" + id + "." + HMAC-SHA256 in base64 without padding.
    const mac = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
    cookies.push(`${SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${mac}`)}`);
  }
  process.stdout.write(JSON.stringify({ quizPath: `/courses/burst/quizzes/${String(quiz._id)}`, cookies }));
} finally {
  await db.close();
}
