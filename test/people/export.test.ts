import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { Express } from 'express';
import { AuditEvent } from '../../src/audit/audit-event.model.js';
import { neutralise } from '../../src/core/csv-export.js';
import { splitName } from '../../src/people/people-export.controller.js';
import { User } from '../../src/users/user.model.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeCoordinator,
  makeMember,
  makeTrainer,
} from '../helpers/factories.js';

describe('people export (CSV, Moodle columns)', () => {
  let app: Express;

  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
  });

  it('gives every account with its names in both scripts and its courses, UTF-8 with a BOM, formulas neutralised', async () => {
    const member = await makeMember();
    await User.updateOne(
      { _id: member.id },
      {
        $set: {
          displayName: 'Ahmad Shabir Safi',
          localName: 'احمد شبیر صافی',
          organisation: '=HYPERLINK("http://x")',
          province: 'هرات',
        },
      },
    );
    const { course } = await makeCourse({ authors: [(await makeTrainer()).id], slug: 'tip-law' });
    await enrolIn(member.id, course);
    const staff = await loginAgent(app, await makeCoordinator());
    const res = await staff
      .get('/admin/users/export.csv')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(body.toString('utf8').slice(1), { columns: true });
    const row = rows.find((r) => r.email === member.email)!;
    expect(row).to.include({
      firstname: 'Ahmad Shabir',
      lastname: 'Safi',
      localname: 'احمد شبیر صافی',
      province: 'هرات',
      roles: 'member',
      course1: 'tip-law',
    });
    expect(row.organisation).to.equal(`'=HYPERLINK("http://x")`);
    expect(await AuditEvent.countDocuments({ action: 'people.export' })).to.equal(1);
  });

  it('is for staff only', async () => {
    const member = await loginAgent(app, await makeMember());
    expect((await member.get('/admin/users/export.csv')).status).to.equal(403);
  });

  it('neutralises every formula start, and splits names as Moodle wants them', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(neutralise(`${start}1+1`)).to.equal(`'${start}1+1`);
    expect(neutralise('Herat')).to.equal('Herat');
    expect(splitName('Zarghona')).to.deep.equal(['Zarghona', '']);
    expect(splitName('  Gul  Rahman   Popal ')).to.deep.equal(['Gul Rahman', 'Popal']);
  });
});
