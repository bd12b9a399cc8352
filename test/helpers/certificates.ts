/** A member who has completed a one-lesson course, through the app as a member does it. */
import type { Express } from 'express';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { User } from '../../src/users/user.model.js';
import { enrolIn, makeCourse, type CourseFixture } from './courses.js';
import { csrfFrom, loginAgent, makeMember, makeTrainer, type TestUser } from './factories.js';

export async function completedMember(
  app: Express,
  options: { localName?: string; fixture?: CourseFixture; parallel?: number } = {},
): Promise<{ member: TestUser; fixture: CourseFixture; certificate: CertificateDoc }> {
  const fixture = options.fixture ?? (await makeCourse({ authors: [(await makeTrainer()).id], lessons: 1 }));
  const member = await makeMember();
  await User.updateOne({ _id: member.id }, { $set: { localName: options.localName ?? 'احمد شبیر صافی' } });
  await enrolIn(member.id, fixture.course);
  const agent = await loginAgent(app, member);
  const page = `/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[0]}`;
  const token = csrfFrom((await agent.get(page)).text);
  await Promise.all(
    Array.from({ length: options.parallel ?? 1 }, () =>
      agent.post(`${page}/complete`).type('form').send({ _csrf: token }),
    ),
  );
  // Issuing follows the completion event, after the response: wait for it.
  for (let i = 0; i < 100; i++) {
    const certificate = await Certificate.findOne({ userId: member.id }).lean<CertificateDoc>();
    if (certificate) return { member, fixture, certificate };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no certificate was issued');
}
