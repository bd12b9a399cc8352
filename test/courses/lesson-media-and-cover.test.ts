import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import type { FileStore } from '../../src/core/file-store.js';
import { Course, type CourseDoc } from '../../src/courses/course.model.js';
import { playingSeconds } from '../../src/courses/media-length.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { enrolIn, makeCourse, type CourseFixture } from '../helpers/courses.js';
import {
  completeFirstRun,
  loginAgent,
  makeMember,
  makeTrainer,
  tokenFor,
  type TestUser,
} from '../helpers/factories.js';

/**
 * Audio and video on a lesson (their kind and playing time, which members see before they download), long
 * file names, and the course's cover image: set, replaced, refused.
 */

const kib = 1024;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Silent MPEG-1 Layer III at 32 kbit/s, 44.1 kHz: 104-byte frames of 1,152 samples each. */
function mp3(seconds: number): Buffer {
  const frame = Buffer.alloc(104);
  frame.set([0xff, 0xfb, 0x10, 0x64]);
  const frames = Math.round((seconds * 44_100) / 1152);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** An 8-bit mono WAV of silence. */
function wav(seconds: number, rate = 8000): Buffer {
  const data = Buffer.alloc(seconds * rate, 0x80);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate, 28);
  head.writeUInt16LE(1, 32);
  head.writeUInt16LE(8, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

/** The first box of an MP4 file as a phone writes it: brand "isom", which reads as video. */
const MP4_BOX = (() => {
  const box = Buffer.alloc(32);
  box.writeUInt32BE(32, 0);
  box.write('ftypisom', 4);
  box.write('isomiso2mp41', 16);
  return box;
})();

describe('lesson media, long file names and the course cover', function () {
  this.timeout(30_000);
  let app: Express;
  let dir: string;
  let files: FileStore;
  let trainer: TestUser;
  let agent: TestAgent;
  let fixture: CourseFixture;

  const edit = () => `/teach/courses/${String(fixture.course._id)}`;
  const lessonPath = () => `${edit()}/lessons/${fixture.lessonIds[0]}`;
  const course = async () => (await Course.findById(fixture.course._id).lean<CourseDoc>())!;
  const attachments = async () => (await course()).modules[0]!.lessons[0]!.attachments;
  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  async function send(url: string, field: string, content: Buffer, name: string, tokenPage = lessonPath()) {
    const token = await tokenFor(agent, tokenPage);
    return agent.post(`${url}?_csrf=${encodeURIComponent(token)}`).attach(field, content, name);
  }
  const attach = (content: Buffer, name: string) =>
    send(`${lessonPath()}/attachments`, 'file', content, name);
  const cover = (content: Buffer, name: string) => send(`${edit()}/cover`, 'cover', content, name, edit());

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-media-'));
    files = diskFileStore(dir);
    app = await buildTestApp({
      fileStore: files,
      uploadLimits: { document: 50 * kib, image: 10 * kib, audio: 1024 * kib, video: 1024 * kib },
    });
    await completeFirstRun();
    trainer = await makeTrainer();
    agent = await loginAgent(app, trainer);
    fixture = await makeCourse({ authors: [trainer.id] });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('playing time', () => {
    const put = async (b: Buffer) => (await files.save(Readable.from([b]))).id;

    it('is read from the file’s container, in whole seconds', async () => {
      expect(await playingSeconds(files, await put(wav(3)), 'audio/wav')).to.equal(3);
      expect(await playingSeconds(files, await put(mp3(120)), 'audio/mpeg')).to.equal(120);
    });

    it('a file that is missing, not media, or a container without a length has none (null), not an error', async () => {
      expect(await playingSeconds(files, await put(Buffer.from('not audio at all')), 'audio/mpeg')).to.equal(
        null,
      );
      expect(await playingSeconds(files, await put(MP4_BOX), 'video/mp4')).to.equal(null);
      expect(await playingSeconds(files, 'no-such-file', 'audio/mpeg')).to.equal(null);
    });
  });

  describe('lesson files', () => {
    it('an MP3 is kept as audio; members see its kind and size, and its playing time in whole minutes, at least one', async () => {
      const audio = mp3(120);
      const res = await attach(audio, 'Interview «مصاحبه».mp3');
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      expect(res.headers.location).to.equal(`${lessonPath()}?saved=file#files`);
      const [a] = await attachments();
      expect(a).to.include({
        name: 'Interview «مصاحبه».mp3',
        mime: 'audio/mpeg',
        kind: 'audio',
        size: audio.length,
      });
      expect((await attach(mp3(20), 'short.mp3')).status).to.equal(303);
      expect((await attachments()).map((a) => a.seconds)).to.deep.equal([120, 20]);

      const member = await makeMember();
      await enrolIn(member.id, fixture.course);
      const reader = await loginAgent(app, member);
      const page = await reader.get(`/courses/${fixture.course.slug}/lessons/${fixture.lessonIds[0]}`);
      expect(page.text).to.contain('Audio · 467 kB · 2 minutes');
      expect(page.text).to.contain('Audio · 78 kB · 1 minute<');
      const outline = await reader.get(`/courses/${fixture.course.slug}`);
      expect(outline.text).to.contain('544 kB');
      expect(outline.text).not.to.contain('text only');
    });

    it('a voice recording in an MP4 box named .m4a is kept as audio; the same box named .mp4 is a video', async () => {
      expect((await attach(MP4_BOX, 'voice note.m4a')).status).to.equal(303);
      expect((await attach(MP4_BOX, 'clip.mp4')).status).to.equal(303);
      const [voice, clip] = await attachments();
      expect(voice).to.include({ name: 'voice note.m4a', mime: 'video/mp4', kind: 'audio', seconds: null });
      expect(clip).to.include({ name: 'clip.mp4', mime: 'video/mp4', kind: 'video', seconds: null });
    });

    it('a file name longer than 200 characters is shortened to 200 and keeps its extension', async () => {
      const long = `${'Rapport annuel '.repeat(20)}final.pdf`;
      expect((await attach(PDF, long)).status).to.equal(303);
      const [a] = await attachments();
      expect(a!.name).to.have.length(200);
      expect(a!.name).to.equal(`${long.slice(0, 196)}.pdf`);
      const editor = await agent.get(lessonPath());
      expect(editor.text).to.contain(`>${long.slice(0, 196)}.pdf</a>`);
    });
  });

  describe('the cover image', () => {
    it('a cover is kept and shown on the course page; a new one takes its place and the old file goes', async () => {
      let res = await cover(PNG, 'cover.png');
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`${edit()}?saved=cover`);
      const first = (await course()).cover!;
      expect(first).to.include({ name: 'cover.png', mime: 'image/png', size: PNG.length });
      const page = await agent.get(res.headers.location as string);
      expect(page.text).to.contain('Cover image saved.');
      expect(page.text).to.contain(`src="/files/${first.fileId}"`);

      const second = Buffer.concat([PNG, Buffer.from('-second')]);
      res = await cover(second, 'new cover.png');
      expect(res.status).to.equal(303);
      const now = (await course()).cover!;
      expect(now.fileId).not.to.equal(first.fileId);
      expect(now.size).to.equal(second.length);
      expect(storedFiles()).to.equal(1);
      expect((await agent.get(`/files/${first.fileId}`)).status).to.equal(404);
      expect((await agent.get(`/files/${now.fileId}`)).status).to.equal(200);
    });

    it('a PDF, an image over the limit, or no file at all is refused on the course page, and nothing is kept', async () => {
      let res = await cover(PDF, 'cover.pdf');
      expect(res.status).to.equal(415);
      expect(res.text).to.contain('This file is not of an accepted type');
      expect(res.text).to.contain('Cover image');

      res = await cover(Buffer.concat([PNG, Buffer.alloc(20 * kib)]), 'huge.png');
      expect(res.status).to.equal(413);
      expect(res.text).to.contain('What you sent is too large.');

      const token = await tokenFor(agent, edit());
      res = await agent.post(`${edit()}/cover?_csrf=${encodeURIComponent(token)}`).field('note', 'no file');
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Choose an image file to upload.');

      expect((await course()).cover).to.equal(null);
      expect(storedFiles()).to.equal(0);
    });

    it('a cover sent to a course of another trainer is a 404 and is not kept', async () => {
      const other = await makeCourse({ authors: [(await makeTrainer()).id] });
      const res = await send(
        `/teach/courses/${String(other.course._id)}/cover`,
        'cover',
        PNG,
        'cover.png',
        edit(),
      );
      expect(res.status).to.equal(404);
      expect((await Course.findById(other.course._id).lean<CourseDoc>())!.cover).to.equal(null);
      expect(storedFiles()).to.equal(0);
    });
  });
});
