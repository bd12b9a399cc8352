import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture, enrolIn } from '../helpers/courses.js';
import { Browser } from '../helpers/fetch-browser.js';
import {
  completeFirstRun,
  loginAgent,
  makeMember,
  makeTrainer,
  tokenFor,
  type TestUser,
} from '../helpers/factories.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 'x'), Buffer.from('\n%%EOF\n')]);
// The start of an ELF executable: what a renamed program looks like from its content.
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000)]);

describe('lesson attachments: uploads, refusals, downloads', function () {
  this.timeout(30_000);
  let app: Express;
  let dir: string;
  let trainer: TestUser;
  let agent: TestAgent;
  let fixture: CourseFixture;
  const kib = 1024;

  const stored = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const course = async () => (await Course.findById(fixture.course._id).lean<CourseDoc>())!;
  const lessonPath = () => `/teach/courses/${String(fixture.course._id)}/lessons/${fixture.lessonIds[0]}`;
  const attachments = async () => (await course()).modules[0]!.lessons[0]!.attachments;

  async function upload(content: Buffer, name: string) {
    const token = await tokenFor(agent, lessonPath());
    return agent
      .post(`${lessonPath()}/attachments?_csrf=${encodeURIComponent(token)}`)
      .attach('file', content, name);
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-attach-'));
    app = await buildTestApp({
      fileStore: diskFileStore(dir),
      uploadLimits: { document: 50 * kib, image: 10 * kib, audio: 100 * kib, video: 500 * kib },
    });
    await completeFirstRun();
    trainer = await makeTrainer();
    agent = await loginAgent(app, trainer);
    fixture = await makeCourse({ authors: [trainer.id] });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a PDF is kept under a random name with its size and hash; the lesson page shows it with its size', async () => {
    const res = await upload(PDF, 'Handout «قانون».pdf');
    expect(res.status, res.text).to.equal(303);
    const [a] = await attachments();
    expect(a).to.include({
      name: 'Handout «قانون».pdf',
      mime: 'application/pdf',
      size: PDF.length,
      kind: 'document',
    });
    expect(a!.fileId).to.match(/^[\w-]{16,}$/);
    expect(readdirSync(dir, { recursive: true }).join(' ')).not.to.contain('Handout');
    expect(stored()).to.equal(1);
    const page = await agent.get(`/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[0]}`);
    expect(page.text).to.contain(`/files/${a!.fileId}`).and.to.contain('20 kB');
  });

  it('an executable renamed .pdf is a 415, and nothing is kept', async () => {
    const res = await upload(ELF, 'handout.pdf');
    expect(res.status).to.equal(415);
    expect(res.text).to.contain('not of an accepted type');
    expect(stored()).to.equal(0);
    expect(await attachments()).to.have.length(0);
  });

  it('a PDF named .docx (type and name disagree) is a 415, and nothing is kept', async () => {
    expect((await upload(PDF, 'handout.docx')).status).to.equal(415);
    expect(stored()).to.equal(0);
  });

  it('a file over its kind’s limit is a 413, and nothing is kept', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(60 * kib, 'y')]);
    const res = await upload(big, 'big.pdf');
    expect(res.status).to.equal(413);
    expect(stored()).to.equal(0);
    expect(await attachments()).to.have.length(0);
  });

  it('no file chosen is a 422 with a message by the field', async () => {
    const token = await tokenFor(agent, lessonPath());
    const res = await agent
      .post(`${lessonPath()}/attachments?_csrf=${encodeURIComponent(token)}`)
      .field('x', 'y');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose a file to upload');
  });

  it('a connection cut in the middle of an upload leaves no file and no record', async () => {
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as net.AddressInfo;
      const browser = new Browser(`http://127.0.0.1:${port}`);
      await browser.post('/login', { email: trainer.email, password: trainer.password }, '/login');
      const page = await (await browser.get(lessonPath())).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      const boundary = 'cut-here-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="handout.pdf"\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      );
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${lessonPath()}/attachments?_csrf=${encodeURIComponent(token)} HTTP/1.1\r\n` +
          `Host: 127.0.0.1:${port}\r\nCookie: ${browser.cookieHeader()}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
          `Content-Length: ${head.length + PDF.length + 100}\r\n\r\n`,
      );
      socket.write(head);
      socket.write(PDF.subarray(0, 12_000));
      await new Promise((r) => setTimeout(r, 200));
      socket.destroy();
      await new Promise((r) => setTimeout(r, 500));
      expect(stored()).to.equal(0);
      expect(await attachments()).to.have.length(0);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('removing an attachment removes its file; a member then gets a 404 for it', async () => {
    await upload(PDF, 'handout.pdf');
    const [a] = await attachments();
    const member = await makeMember();
    await enrolIn(member.id, fixture.course);
    const reader = await loginAgent(app, member);
    expect((await reader.get(`/files/${a!.fileId}`)).status).to.equal(200);
    const token = await tokenFor(agent, lessonPath());
    const res = await agent
      .post(`${lessonPath()}/attachments/${String(a!._id)}/delete`)
      .type('form')
      .send({ _csrf: token });
    expect(res.status).to.equal(303);
    expect(stored()).to.equal(0);
    expect((await reader.get(`/files/${a!.fileId}`)).status).to.equal(404);
  });

  it('replacing an attachment keeps its place and id, and removes the old file; another lesson’s attachment is a 404', async () => {
    await upload(PDF, 'first.pdf');
    await upload(PDF, 'second.pdf');
    const [first, second] = await attachments();
    const token = await tokenFor(agent, lessonPath());
    const newer = Buffer.concat([PDF, Buffer.from('% newer\n')]);
    let res = await agent
      .post(`${lessonPath()}/attachments/${String(first!._id)}/replace?_csrf=${encodeURIComponent(token)}`)
      .attach('file', newer, 'first-v2.pdf');
    expect(res.status).to.equal(303);
    const after = await attachments();
    expect(after.map((a) => a.name)).to.deep.equal(['first-v2.pdf', 'second.pdf']);
    expect(String(after[0]!._id)).to.equal(String(first!._id));
    expect(after[0]!.size).to.equal(newer.length);
    expect(stored()).to.equal(2);
    const otherLesson = `/teach/courses/${String(fixture.course._id)}/lessons/${fixture.lessonIds[1]}`;
    res = await agent
      .post(`${otherLesson}/attachments/${String(second!._id)}/replace?_csrf=${encodeURIComponent(token)}`)
      .attach('file', PDF, 'sneaky.pdf');
    expect(res.status).to.equal(404);
    expect(stored()).to.equal(2);
    expect((await attachments()).map((a) => a.name)).to.deep.equal(['first-v2.pdf', 'second.pdf']);

    // Removing it through the other lesson's address is the same 404, and removes nothing.
    const rev = (await Course.findById(fixture.course._id).lean<{ rev: number }>())!.rev;
    res = await agent
      .post(`${otherLesson}/attachments/${String(second!._id)}/delete`)
      .type('form')
      .send({ _csrf: token });
    expect(res.status).to.equal(404);
    expect(stored()).to.equal(2);
    expect((await attachments()).map((a) => a.name)).to.deep.equal(['first-v2.pdf', 'second.pdf']);
    expect((await Course.findById(fixture.course._id).lean<{ rev: number }>())!.rev).to.equal(rev);
  });

  it('a malformed multipart body is a 400, and an upload to a lesson of another course a 404; nothing is kept', async () => {
    const token = await tokenFor(agent, lessonPath());
    const garbage = await agent
      .post(`${lessonPath()}/attachments?_csrf=${encodeURIComponent(token)}`)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('garbage');
    expect(garbage.status).to.equal(400);
    const noBoundary = await agent
      .post(`${lessonPath()}/attachments?_csrf=${encodeURIComponent(token)}`)
      .set('Content-Type', 'multipart/form-data')
      .send('garbage');
    expect(noBoundary.status).to.equal(400);
    const other = await makeCourse({ authors: [trainer.id] });
    const res = await agent
      .post(
        `/teach/courses/${String(fixture.course._id)}/lessons/${other.lessonIds[0]}/attachments?_csrf=${encodeURIComponent(token)}`,
      )
      .attach('file', PDF, 'handout.pdf');
    expect(res.status).to.equal(404);
    expect(stored()).to.equal(0);
  });

  it('a file in the second lesson downloads too; a file gone from the store is a plain 404', async () => {
    const second = `/teach/courses/${String(fixture.course._id)}/lessons/${fixture.lessonIds[1]}`;
    const token = await tokenFor(agent, second);
    await agent
      .post(`${second}/attachments?_csrf=${encodeURIComponent(token)}`)
      .attach('file', PDF, 'second.pdf');
    const [a] = (await course()).modules[0]!.lessons[1]!.attachments;
    expect((await agent.get(`/files/${a!.fileId}`)).status).to.equal(200);
    rmSync(dir, { recursive: true, force: true });
    const gone = await agent.get(`/files/${a!.fileId}`);
    expect(gone.status).to.equal(404);
    expect(gone.headers['content-type']).to.match(/^text\/html/);
    expect(String(gone.headers.etag)).not.to.contain(a!.sha256);
  });

  it('a download answers a Range with 206 and exactly those bytes, and sends type, name, validator and nosniff', async () => {
    await upload(PDF, 'دست‌نامه.pdf');
    const [a] = await attachments();
    const url = `/files/${a!.fileId}`;
    const whole = await agent.get(url).buffer(true);
    expect(whole.status).to.equal(200);
    expect(whole.headers['content-type']).to.equal('application/pdf');
    expect(whole.headers['x-content-type-options']).to.equal('nosniff');
    expect(whole.headers['accept-ranges']).to.equal('bytes');
    expect(whole.headers['content-disposition']).to.match(
      /^inline; filename="[^"]*\.pdf"; filename\*=UTF-8''/,
    );
    expect(decodeURIComponent(String(whole.headers['content-disposition']).split("''")[1]!)).to.equal(
      'دست‌نامه.pdf',
    );
    expect(Buffer.from(whole.body as Buffer).equals(PDF)).to.equal(true);

    const part = await agent.get(url).set('Range', 'bytes=100-1099').buffer(true);
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal(`bytes 100-1099/${PDF.length}`);
    expect(Buffer.from(part.body as Buffer).equals(PDF.subarray(100, 1100))).to.equal(true);

    const tail = await agent.get(url).set('Range', 'bytes=-7').buffer(true);
    expect(tail.status).to.equal(206);
    expect(Buffer.from(tail.body as Buffer).toString()).to.equal('\n%%EOF\n');

    const beyond = await agent.get(url).set('Range', `bytes=${PDF.length}-`);
    expect(beyond.status).to.equal(416);
    expect(beyond.headers['content-range']).to.equal(`bytes */${PDF.length}`);

    const again = await agent.get(url).set('If-None-Match', String(whole.headers.etag));
    expect(again.status).to.equal(304);
    const weakInList = await agent.get(url).set('If-None-Match', `"other", W/${String(whole.headers.etag)}`);
    expect(weakInList.status).to.equal(304);
    const backwards = await agent.get(url).set('Range', 'bytes=5-2').buffer(true);
    expect(backwards.status).to.equal(200);
    expect(whole.headers['cache-control']).to.contain('no-cache');
  });
});
