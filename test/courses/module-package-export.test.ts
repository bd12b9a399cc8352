import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Express } from 'express';
import { Types } from 'mongoose';
import type TestAgent from 'supertest/lib/agent.js';
import yauzl from 'yauzl';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/config/config.js';
import { AppError } from '../../src/core/app-error.js';
import type { FileStore } from '../../src/core/file-store.js';
import type { AttachmentDoc, CourseDoc, LessonDoc } from '../../src/courses/course.model.js';
import { Course } from '../../src/courses/course.model.js';
import { exportModule } from '../../src/courses/module-package.service.js';
import { parseMarkdownFile } from '../../src/courses/module-package-text.js';
import { openCheckedZip } from '../../src/courses/module-package-zip.js';
import { PACKAGE_RULES } from '../../src/courses/module-package-reader.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { makeCourse, type CourseFixture } from '../helpers/courses.js';
import { completeFirstRun, loginAgent, makeTrainer, tokenFor } from '../helpers/factories.js';
import { makeZip, type RawEntry } from '../helpers/zip.js';

/**
 * A module written out as a package (file names every zip tool keeps, languages, links), the checks an
 * uploaded zip meets before anything in it is read, and the upload form's own refusals.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file of a zip by name, read with an ordinary zip reader. */
async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of file.eachEntry())
    out.set(entry.fileName, await collect(await file.openReadStreamPromise(entry)));
  file.close();
  return out;
}

const text = (files: Map<string, Buffer>, name: string) => {
  const bytes = files.get(name);
  if (!bytes) throw new Error(`${name} is not in the package: ${[...files.keys()].join(', ')}`);
  return parseMarkdownFile(bytes, name);
};

describe('module packages: export names and texts, zip checks, upload refusals', () => {
  let dir: string;
  let files: FileStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-export-'));
    files = diskFileStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function attachment(name: string, content: Buffer, mime: string): Promise<AttachmentDoc> {
    const { id: fileId, size, sha256 } = await files.save(Readable.from([content]));
    const kind = mime.startsWith('image/') ? 'image' : 'document';
    return { _id: new Types.ObjectId(), fileId, name, mime, size, sha256, kind, seconds: null };
  }

  function lesson(
    title: LessonDoc['title'],
    body: LessonDoc['body'],
    attachments: AttachmentDoc[] = [],
  ): LessonDoc {
    return { _id: new Types.ObjectId(), title, body, attachments };
  }

  function course(
    lessons: LessonDoc[],
    over: Partial<CourseDoc> = {},
    moduleTitle: LessonDoc['title'] = { en: 'Know your rights' },
  ): CourseDoc {
    return {
      _id: new Types.ObjectId(),
      slug: 'rights',
      primaryLocale: 'en',
      locales: ['en', 'fa-AF'],
      title: { en: 'Rights' },
      summary: {},
      cover: null,
      estimatedHours: 1,
      status: 'draft',
      authors: [],
      selfEnrol: true,
      modules: [
        { _id: new Types.ObjectId(), title: { en: 'Before' }, lessons: [] },
        { _id: new Types.ObjectId(), title: moduleTitle, lessons },
      ],
      rev: 0,
      ...over,
    };
  }

  const exported = async (c: CourseDoc, index = 1) => {
    const { filename, stream } = exportModule(c, String(c.modules[index]!._id), files);
    return { filename, files: await unzip(await collect(stream)) };
  };

  describe('export', () => {
    it('attachment names lose separators, hidden-dot starts and direction marks, gain a missing extension, and are numbered when they clash', async () => {
      const list = [
        await attachment('court/forms:2024?.pdf', PDF, 'application/pdf'),
        await attachment('..hidden.pdf', PDF, 'application/pdf'),
        await attachment('notes', PDF, 'application/pdf'),
        await attachment('Map.PNG', PNG, 'image/png'),
        await attachment('map.png', PNG, 'image/png'),
        await attachment('exe\u202Egnp.png', PNG, 'image/png'),
        await attachment('...', PDF, 'application/pdf'),
      ];
      const c = course([lesson({ en: 'Introduction' }, { en: 'Body' }, list)]);
      const out = await exported(c);

      const names = [
        'court_forms_2024_.pdf',
        'hidden.pdf',
        'notes.pdf',
        'Map.PNG',
        'map-2.png',
        'exe_gnp.png',
        'file.pdf',
      ];
      expect([...out.files.keys()].filter((n) => n.startsWith('01-introduction/'))).to.deep.equal(
        names.map((n) => `01-introduction/${n}`),
      );
      expect(text(out.files, '01-introduction.en.md').data.attachments).to.deep.equal(names);
      expect(out.files.get('01-introduction/map-2.png')!.equals(PNG)).to.equal(true);
      expect(out.files.get('01-introduction/notes.pdf')!.equals(PDF)).to.equal(true);
      expect(out.filename).to.equal('rights-know-your-rights.zip');
    });

    it('lesson files are numbered and named from Latin letters of the title; a title without any is “lesson”, a module title without any gives “module-N”', async () => {
      const c = course(
        [
          lesson({ 'fa-AF': 'Café Résumé: Übung 1', en: 'ignored' }, { 'fa-AF': 'متن' }),
          lesson({ 'fa-AF': 'مقدمه' }, { 'fa-AF': 'متن دوم' }),
        ],
        { primaryLocale: 'fa-AF', locales: ['fa-AF'] },
        { 'fa-AF': 'حقوق شما' },
      );
      const out = await exported(c);
      expect([...out.files.keys()]).to.deep.equal([
        'module.md',
        '01-cafe-resume-ubung-1.fa-AF.md',
        '02-lesson.fa-AF.md',
      ]);
      expect(out.filename).to.equal('rights-module-2.zip');
      expect(text(out.files, 'module.md').data).to.deep.equal({ title: { 'fa-AF': 'حقوق شما' }, order: 2 });
      expect(text(out.files, '02-lesson.fa-AF.md')).to.deep.equal({
        data: { title: 'مقدمه' },
        body: 'متن دوم',
      });
    });

    it('a translation with neither title nor text is left out; the primary language’s file is written even when empty', async () => {
      const c = course(
        [
          lesson({ en: '' }, { en: '' }),
          lesson({ en: 'Second', 'fa-AF': '' }, { en: 'Two', 'fa-AF': 'دو' }),
          lesson({ en: 'Third', 'ps-AF': 'دریم' }, { en: 'Three' }),
        ],
        { locales: ['en', 'fa-AF', 'ps-AF'] },
        { en: 'Know your rights', 'fa-AF': 'حقوق', 'ps-AF': '' },
      );
      const out = await exported(c);
      expect([...out.files.keys()]).to.deep.equal([
        'module.md',
        '01-lesson.en.md',
        '02-second.en.md',
        '02-second.fa-AF.md',
        '03-third.en.md',
        '03-third.ps-AF.md',
      ]);
      expect(text(out.files, '01-lesson.en.md')).to.deep.equal({ data: {}, body: '' });
      expect(text(out.files, '02-second.fa-AF.md')).to.deep.equal({ data: {}, body: 'دو' });
      expect(text(out.files, 'module.md').data).to.deep.equal({
        title: { en: 'Know your rights', 'fa-AF': 'حقوق' },
        order: 2,
      });
    });

    it('links to this module’s files become package paths; links to any other file stay as written', async () => {
      const map = await attachment('map.png', PNG, 'image/png');
      const handout = await attachment('hand out.pdf', PDF, 'application/pdf');
      const body =
        `![Map](/files/${map.fileId})\n\n[Handout](</files/${handout.fileId}>)\n\n` +
        `[Elsewhere](/files/somewhere-else-123)\n\n[ref]: /files/${map.fileId}\n`;
      const c = course([
        lesson({ en: 'Intro', 'fa-AF': 'مقدمه' }, { en: body, 'fa-AF': `![نقشه](/files/${map.fileId})` }, [
          map,
          handout,
        ]),
      ]);
      const out = await exported(c);
      expect(text(out.files, '01-intro.en.md').body).to.equal(
        '![Map](01-intro/map.png)\n\n[Handout](<01-intro/hand out.pdf>)\n\n' +
          '[Elsewhere](/files/somewhere-else-123)\n\n[ref]: 01-intro/map.png\n',
      );
      expect(text(out.files, '01-intro.fa-AF.md').body).to.equal('![نقشه](01-intro/map.png)');
    });

    it('a file missing from the store fails the download instead of ending it as a complete zip; an unknown module is a 404', async () => {
      const gone = await attachment('gone.pdf', PDF, 'application/pdf');
      await files.remove(gone.fileId);
      const c = course([lesson({ en: 'Intro' }, { en: 'x' }, [gone])]);
      const { stream } = exportModule(c, String(c.modules[1]!._id), files);
      const failed = await collect(stream).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failed).to.be.instanceOf(Error);

      const unknown = (() => {
        try {
          exportModule(c, new Types.ObjectId().toHexString(), files);
          return null;
        } catch (err) {
          return err;
        }
      })();
      expect(unknown).to.be.instanceOf(AppError);
      expect((unknown as AppError).status).to.equal(404);
    });
  });

  describe('zip checks, before anything is inflated', () => {
    async function check(entries: RawEntry[]): Promise<AppError | 'accepted'> {
      const file = path.join(dir, 'upload.zip');
      writeFileSync(file, makeZip(entries));
      try {
        const zip = await openCheckedZip(file, {
          ...PACKAGE_RULES,
          maxTotalBytes: 10 * 2 ** 20,
          maxBytesOf: () => 2 ** 20,
        });
        zip.close();
        return 'accepted';
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
    }
    const refusal = (err: AppError | 'accepted') =>
      err === 'accepted'
        ? err
        : [err.status, err.message, (err.details as { entry?: string } | undefined)?.entry];

    it('folder entries are accepted, but one that holds data is damaged', async () => {
      expect(
        await check([
          { name: 'pkg/', store: true },
          { name: 'pkg/module.md', data: '---\n---\n' },
        ]),
      ).to.equal('accepted');
      expect(refusal(await check([{ name: 'pkg/', data: 'hidden', store: true }]))).to.deep.equal([
        422,
        'teach.package.corruptEntry',
        'pkg/',
      ]);
    });

    it('empty or dot segments, names over 255 characters and direction marks are refused by name', async () => {
      for (const name of [
        '01-intro//map.png',
        './module.md',
        '01-intro/./map.png',
        `${'a'.repeat(253)}.md`,
        'lesson\u2067.md',
      ])
        expect(refusal(await check([{ name, data: 'x' }])), name).to.deep.equal([
          422,
          'teach.package.badPath',
          name,
        ]);
    });
  });

  describe('the upload form', () => {
    let app: Express;
    let agent: TestAgent;
    let fixture: CourseFixture;
    let uploads: string;
    const importUrl = () => `/teach/courses/${String(fixture.course._id)}/modules/import`;
    const leftovers = () => readdirSync(uploads).length;

    beforeEach(async () => {
      // The form's temporary files go to the system's temporary folder: here, one of this test's own.
      uploads = mkdtempSync(path.join(tmpdir(), 'sabaq-import-tmp-'));
      const before = process.env.TMPDIR;
      process.env.TMPDIR = uploads;
      try {
        app = await buildTestApp({ fileStore: files, uploadLimits: DEFAULT_UPLOAD_LIMITS });
      } finally {
        if (before === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = before;
      }
      await completeFirstRun();
      const trainer = await makeTrainer();
      agent = await loginAgent(app, trainer);
      fixture = await makeCourse({ authors: [trainer.id] });
    });
    afterEach(() => rmSync(uploads, { recursive: true, force: true }));

    const token = async () =>
      encodeURIComponent(await tokenFor(agent, `/teach/courses/${String(fixture.course._id)}`));
    const modules = async () => (await Course.findById(fixture.course._id).lean<CourseDoc>())!.modules.length;

    it('no file chosen shows the course page with a 422 and asks for a package', async () => {
      const res = await agent.post(`${importUrl()}?_csrf=${await token()}`).field('note', 'nothing attached');
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('Choose a module package (.zip) to upload.');
      expect(res.text).to.contain('Modules and lessons');
      expect(await modules()).to.equal(1);
    });

    it('a refused package is named on the course page with the entry at fault', async () => {
      const zip = makeZip([
        { name: 'module.md', data: '---\ntitle: X\n---\n' },
        { name: 'notes.txt', data: 'x' },
      ]);
      const res = await agent
        .post(`${importUrl()}?_csrf=${await token()}`)
        .attach('package', zip, 'module.zip');
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(
        'The package contains a file that does not belong in a module package: notes.txt.',
      );
      const notZip = await agent
        .post(`${importUrl()}?_csrf=${await token()}`)
        .attach('package', PDF, 'module.zip');
      expect(notZip.status).to.equal(415);
      expect(notZip.text).to.contain('This file is not a zip file. Upload the module package as a .zip.');
      expect(await modules()).to.equal(1);
      expect(leftovers()).to.equal(0);
    });

    it('a file in another field, two packages at once, or a broken form is a 400, and no temporary file stays', async () => {
      const zip = makeZip([{ name: 'module.md', data: '---\ntitle: X\n---\n' }]);
      const wrongField = await agent
        .post(`${importUrl()}?_csrf=${await token()}`)
        .attach('file', zip, 'module.zip');
      expect(wrongField.status).to.equal(400);
      expect(wrongField.text).to.contain('The request could not be understood.');
      const two = await agent
        .post(`${importUrl()}?_csrf=${await token()}`)
        .attach('package', zip, 'a.zip')
        .attach('package', zip, 'b.zip');
      expect(two.status).to.equal(400);
      const broken = await agent
        .post(`${importUrl()}?_csrf=${await token()}`)
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nContent-Disposition: form-data; name="package"; filename="a.zip"\r\n\r\nPK');
      expect(broken.status).to.equal(400);
      expect(await modules()).to.equal(1);
      expect(leftovers()).to.equal(0);
      expect(readdirSync(dir)).to.deep.equal([]);
    });
  });
});
