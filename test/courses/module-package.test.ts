import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../src/config/config.js';
import { AppError } from '../../src/core/app-error.js';
import type { FileStore } from '../../src/core/file-store.js';
import { addModule } from '../../src/courses/course-outline.service.js';
import type { CourseDoc, ModuleDoc } from '../../src/courses/course.model.js';
import { createCourse, findCourse } from '../../src/courses/courses.service.js';
import { importModulePackage } from '../../src/courses/module-package.service.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { buildTestApp, connectTestDb } from '../helpers/app-harness.js';
import { completeFirstRun, loginAgent, makeTrainer, tokenFor, type TestUser } from '../helpers/factories.js';
import { makeZip, type RawEntry } from '../helpers/zip.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 0)]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A good package: a module titled in English and Dari, two lessons, a Dari translation, a PDF and a map. */
function goodPackage(): RawEntry[] {
  return [
    { name: 'module.md', data: '---\ntitle: Know your rights\ntitle_fa-AF: حقوق خود را بدانید\n---\n' },
    {
      name: '01-intro.md',
      data: '---\ntitle: Introduction\n---\n# Welcome\n\n![Map](01-intro/map.png)\n\n[Handout](01-intro/handout.pdf)\n',
    },
    { name: '01-intro.fa-AF.md', data: '---\ntitle: مقدمه\n---\nخوش آمدید\n\n![نقشه](./01-intro/map.png)\n' },
    { name: '01-intro/map.png', data: PNG, store: true },
    { name: '01-intro/handout.pdf', data: PDF },
    { name: '02-next-steps.md', data: '---\ntitle: "Next steps: what now?"\n---\nBody two\n' },
    { name: 'quizzes/quiz-1.yaml', data: 'reserved for later' },
  ];
}

describe('module packages: a module imported from a .zip and exported as one', () => {
  let dir: string;
  let files: FileStore;
  let trainer: TestUser;
  let course: CourseDoc;

  const storedFiles = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  async function newCourse(slug: string, author: TestUser): Promise<CourseDoc> {
    return createCourse(
      {
        slug,
        primaryLocale: 'en',
        locales: ['en', 'fa-AF'],
        title: { en: 'Rights', 'fa-AF': 'حقوق' },
        summary: {},
        estimatedHours: 2,
        selfEnrol: true,
      },
      author,
    );
  }

  async function importZip(zip: Buffer, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<string> {
    const file = path.join(dir, '..', `${path.basename(dir)}-upload.zip`);
    writeFileSync(file, zip);
    try {
      return await importModulePackage((await findCourse(String(course._id)))!, file, { files, limits });
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** The package is refused with this status and message key, and nothing of it is kept anywhere. */
  async function expectRefused(
    zip: Buffer,
    status: number,
    key: string,
    entry?: string,
    limits?: UploadLimits,
  ): Promise<void> {
    const before = (await findCourse(String(course._id)))!;
    const err = await importZip(zip, limits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, 'refused').to.be.instanceOf(AppError);
    expect((err as AppError).message).to.equal(`teach.package.${key}`);
    expect((err as AppError).status).to.equal(status);
    if (entry !== undefined) expect((err as AppError).details).to.deep.equal({ entry });
    const after = (await findCourse(String(course._id)))!;
    expect(after.modules).to.deep.equal(before.modules);
    expect(after.rev).to.equal(before.rev);
    expect(storedFiles(), 'files left in the store').to.equal(0);
  }

  before(connectTestDb);
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sabaq-package-'));
    files = diskFileStore(dir);
    trainer = await makeTrainer();
    course = await newCourse('rights', trainer);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('import', () => {
    it('a good package becomes one module: titles in two languages, lessons in order, files attached, images linked', async () => {
      const moduleId = await importZip(makeZip(goodPackage()));

      const saved = (await findCourse(String(course._id)))!;
      expect(saved.modules).to.have.length(1);
      const mod = saved.modules[0]!;
      expect(String(mod._id)).to.equal(moduleId);
      expect(mod.title).to.include({ en: 'Know your rights', 'fa-AF': 'حقوق خود را بدانید' });
      expect(mod.lessons.map((l) => l.title.en)).to.deep.equal(['Introduction', 'Next steps: what now?']);
      const [intro, next] = mod.lessons;
      expect(intro!.title['fa-AF']).to.equal('مقدمه');
      expect(intro!.attachments.map((a) => [a.name, a.kind, a.mime])).to.deep.equal([
        ['handout.pdf', 'document', 'application/pdf'],
        ['map.png', 'image', 'image/png'],
      ]);
      const [pdf, png] = intro!.attachments;
      expect(pdf).to.include({ size: PDF.length, sha256: sha256(PDF) });
      expect(png).to.include({ size: PNG.length, sha256: sha256(PNG) });
      expect(intro!.body.en).to.contain(`![Map](/files/${png!.fileId})`);
      expect(intro!.body.en).to.contain(`[Handout](/files/${pdf!.fileId})`);
      expect(intro!.body['fa-AF']).to.contain(`![نقشه](/files/${png!.fileId})`);
      expect(next!.body.en).to.equal('Body two\n');
      expect(next!.attachments).to.deep.equal([]);
      expect(storedFiles()).to.equal(2);
      expect(saved.rev).to.equal(course.rev + 1);
    });

    it('`order` puts the module at that place; without it, or out of range, the module goes at an end', async () => {
      await addModule(String(course._id), { en: 'First' });
      await addModule(String(course._id), { en: 'Second' });
      const withOrder = (order: string) =>
        makeZip([{ name: 'module.md', data: `---\ntitle: 'Imported ${order}'\n${order}\n---\n` }]);
      await importZip(withOrder('order: 2'));
      await importZip(withOrder(''));
      await importZip(withOrder('order: 0'));
      await importZip(withOrder('order: 99'));
      const titles = (await findCourse(String(course._id)))!.modules.map((m) => m.title.en);
      expect(titles).to.deep.equal([
        'Imported order: 0',
        'First',
        'Imported order: 2',
        'Second',
        'Imported',
        'Imported order: 99',
      ]);
    });

    it('a package zipped as its folder, with macOS extras, is read from inside the folder', async () => {
      const entries = goodPackage().map((e) => ({ ...e, name: `know-your-rights/${e.name}` }));
      entries.push({ name: '__MACOSX/know-your-rights/._module.md', data: 'x' });
      entries.push({ name: 'know-your-rights/01-intro/.DS_Store', data: 'x' });
      await importZip(makeZip(entries));
      const mod = (await findCourse(String(course._id)))!.modules[0]!;
      expect(mod.lessons).to.have.length(2);
      expect(mod.lessons[0]!.attachments).to.have.length(2);
    });
  });

  describe('refusals: checked before anything is kept', () => {
    it('an entry named with `..` is refused by name', async () => {
      await expectRefused(
        makeZip([...goodPackage(), { name: '../evil.md', data: '# evil' }]),
        422,
        'badPath',
        '../evil.md',
      );
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/../../evil.png', data: PNG }]),
        422,
        'badPath',
        '01-intro/../../evil.png',
      );
    });

    it('absolute names, drive letters, backslashes and control characters are refused by name', async () => {
      for (const name of [
        '/etc/cron.d/evil.md',
        'C:/evil.md',
        '01-intro\\evil.png',
        '01-intro/ev\u0000il.png',
      ]) {
        await expectRefused(makeZip([...goodPackage(), { name, data: PNG }]), 422, 'badPath', name);
      }
    });

    it('a symbolic link is refused, even one named like a lesson file', async () => {
      await expectRefused(
        makeZip([
          ...goodPackage().filter((e) => e.name !== '01-intro/map.png'),
          { name: '01-intro/map.png', data: '/etc/passwd', mode: 0o120777 },
        ]),
        422,
        'link',
        '01-intro/map.png',
      );
    });

    it('a zip bomb (20 MB of zeros in a few kilobytes) is refused before it is inflated', async () => {
      const bomb = { name: '01-intro/big.pdf', data: Buffer.concat([PDF, Buffer.alloc(20 * 2 ** 20)]) };
      await expectRefused(makeZip([...goodPackage(), bomb]), 413, 'bomb', '01-intro/big.pdf');
    });

    it('an entry that inflates to more than it declares is stopped at the lie, and files already stored are removed', async () => {
      const lyingText = { name: '03-more.md', data: Buffer.alloc(5 * 2 ** 20, 0x61), declaredSize: 100 };
      await expectRefused(makeZip([...goodPackage(), lyingText]), 422, 'corruptEntry', '03-more.md');
      // handout.pdf is stored before map.png, whose data runs past what it declared.
      const lyingImage = {
        name: '01-intro/map.png',
        data: Buffer.concat([PNG, Buffer.alloc(5 * 2 ** 20)]),
        declaredSize: 5000,
      };
      const entries = goodPackage().filter((e) => e.name !== '01-intro/map.png');
      await expectRefused(makeZip([...entries, lyingImage]), 422, 'corruptEntry', '01-intro/map.png');
    });

    it('a program named .pdf, a picture named .pdf, and an unknown extension are refused as types', async () => {
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/setup.pdf', data: ELF }]),
        415,
        'fileType',
        '01-intro/setup.pdf',
      );
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/photo.pdf', data: PNG }]),
        415,
        'fileType',
        '01-intro/photo.pdf',
      );
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/run.exe', data: ELF }]),
        415,
        'fileType',
        '01-intro/run.exe',
      );
    });

    it('a file over its kind’s limit, too many entries, or a too-large total is a 413', async () => {
      const small = { document: 2 ** 20, image: 2 ** 20, audio: 2 ** 20, video: 2 ** 20 };
      const bigPdf = Buffer.concat([
        PDF,
        Buffer.from(Array.from({ length: 1_600_000 }, (_, i) => (i * 7919) % 251)),
      ]);
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/big.pdf', data: bigPdf, store: true }]),
        413,
        'fileTooLarge',
        '01-intro/big.pdf',
        small,
      );
      const many = Array.from({ length: 501 }, (_, i) => ({ name: `01-intro/${i}.png`, data: PNG }));
      await expectRefused(makeZip([...goodPackage(), ...many]), 413, 'tooManyEntries');
      const pdfs = [1, 2, 3].map((i) => ({
        name: `01-intro/${i}.pdf`,
        data: bigPdf.subarray(0, 900_000),
        store: true,
      }));
      await expectRefused(makeZip([...goodPackage(), ...pdfs]), 413, 'tooLarge', undefined, small);
    });

    it('something that is not a zip, a damaged zip, or an encrypted entry, is refused', async () => {
      await expectRefused(Buffer.from('just some text, not a zip'), 415, 'notZip');
      // A stored (not deflated) entry whose two sizes disagree: the directory itself is inconsistent.
      const damaged = { name: '01-intro/other.pdf', data: PDF, store: true, declaredSize: PDF.length + 1 };
      await expectRefused(makeZip([...goodPackage(), damaged]), 422, 'corrupt');
      await expectRefused(
        makeZip([...goodPackage(), { name: '01-intro/secret.pdf', data: PDF, flags: 1 }]),
        422,
        'unsupported',
        '01-intro/secret.pdf',
      );
    });

    it('unknown files, duplicates, bad text and missing titles are refused, naming the file', async () => {
      const without = (name: string) => goodPackage().filter((e) => e.name !== name);
      const cases: [RawEntry[], number, string, string | undefined][] = [
        [[...goodPackage(), { name: 'notes.txt', data: 'x' }], 422, 'unknownEntry', 'notes.txt'],
        [
          [...goodPackage(), { name: '09-nothing/map.png', data: PNG }],
          422,
          'unknownEntry',
          '09-nothing/map.png',
        ],
        [
          [...goodPackage(), { name: '01-intro.en.md', data: '---\ntitle: Again\n---\n' }],
          422,
          'duplicate',
          '01-intro.en.md',
        ],
        [[...goodPackage(), { name: '01-INTRO/MAP.png', data: PNG }], 422, 'duplicate', '01-INTRO/MAP.png'],
        [
          [...goodPackage(), { name: '03-x.md', data: Buffer.from([0x2d, 0xff, 0xfe]) }],
          422,
          'badText',
          '03-x.md',
        ],
        [[...goodPackage(), { name: '03-x.md', data: 'no front matter' }], 422, 'lessonTitle', '03-x.md'],
        [
          [...goodPackage(), { name: '03-x.ps-AF.md', data: '---\ntitle: x\n---\n' }],
          422,
          'locale',
          '03-x.ps-AF.md',
        ],
        [
          [...goodPackage(), { name: '03-x.fa-AF.md', data: '---\ntitle: x\n---\n' }],
          422,
          'noPrimary',
          '03-x.fa-AF.md',
        ],
        [
          [...goodPackage(), { name: '03-x.md', data: '---\ntitle: [unclosed\n---\n' }],
          422,
          'frontMatter',
          '03-x.md',
        ],
        [without('module.md'), 422, 'noModule', undefined],
        [
          [...without('module.md'), { name: 'module.md', data: '---\ntitle_fa-AF: فقط دری\n---\n' }],
          422,
          'moduleTitle',
          'module.md',
        ],
      ];
      for (const [entries, status, key, entry] of cases)
        await expectRefused(makeZip(entries), status, key, entry);
    });
  });

  describe('routes', () => {
    let app: Express;
    let agent: TestAgent;
    const tmpUploads = () => readdirSync(tmpdir()).filter((n) => n.startsWith('sabaq-module-')).length;

    async function post(as: TestAgent, courseId: string, zip: Buffer) {
      const token = await tokenFor(as, '/');
      return as
        .post(`/teach/courses/${courseId}/modules/import?_csrf=${encodeURIComponent(token)}`)
        .attach('package', zip, 'module.zip');
    }

    function download(as: TestAgent, url: string) {
      return as
        .get(url)
        .buffer(true)
        .parse((res, cb) => {
          // The response is a Node stream under superagent's type.
          const stream = res as unknown as NodeJS.ReadableStream;
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    }

    /** A module as a learner sees it, with file links named by the file they point at (ids differ per course). */
    function content(mod: ModuleDoc) {
      const names = new Map(mod.lessons.flatMap((l) => l.attachments.map((a) => [a.fileId, a.name])));
      const unlink = (s: string | undefined) =>
        (s ?? '').replace(/\/files\/([\w-]+)/g, (_, id: string) => `file:${names.get(id)}`);
      return {
        title: mod.title,
        lessons: mod.lessons.map((l) => ({
          title: l.title,
          body: { en: unlink(l.body.en), 'fa-AF': unlink(l.body['fa-AF']), 'ps-AF': unlink(l.body['ps-AF']) },
          attachments: l.attachments.map(({ name, mime, size, sha256, kind, seconds }) => ({
            name,
            mime,
            size,
            sha256,
            kind,
            seconds,
          })),
        })),
      };
    }

    beforeEach(async () => {
      app = await buildTestApp({ fileStore: files });
      await completeFirstRun();
      agent = await loginAgent(app, trainer);
    });

    it('an author uploads a package and is sent to the new module on the course page', async () => {
      const before = tmpUploads();
      const res = await post(agent, String(course._id), makeZip(goodPackage()));
      expect(res.status).to.equal(303);
      const mod = (await findCourse(String(course._id)))!.modules[0]!;
      expect(res.headers.location).to.equal(
        `/teach/courses/${String(course._id)}?saved=outline#module-${String(mod._id)}`,
      );
      expect(mod.lessons).to.have.length(2);
      expect(tmpUploads()).to.equal(before);
    });

    it('a refused package answers with its status, keeps nothing, and leaves no temporary file', async () => {
      const before = tmpUploads();
      const res = await post(
        agent,
        String(course._id),
        makeZip([...goodPackage(), { name: '../evil.md', data: 'x' }]),
      );
      expect(res.status).to.equal(422);
      expect((await findCourse(String(course._id)))!.modules).to.deep.equal([]);
      expect(storedFiles()).to.equal(0);
      expect(tmpUploads()).to.equal(before);
      const notZip = await post(agent, String(course._id), Buffer.from('not a zip'));
      expect(notZip.status).to.equal(415);
    });

    it('a package larger than anything it may hold is cut off at upload with 413', async () => {
      const small = { document: 2 ** 20, image: 2 ** 20, audio: 2 ** 20, video: 2 ** 20 };
      const strict = await buildTestApp({ fileStore: files, uploadLimits: small });
      const strictAgent = await loginAgent(strict, trainer);
      const before = tmpUploads();
      const noise = Buffer.from(Array.from({ length: 4 * 2 ** 20 }, (_, i) => (i * 7919) % 251));
      const res = await post(strictAgent, String(course._id), noise);
      expect(res.status).to.equal(413);
      expect(storedFiles()).to.equal(0);
      expect(tmpUploads()).to.equal(before);
    });

    it('export then import into another course gives the same module', async () => {
      const entries = goodPackage().map((e) =>
        e.name === '01-intro.md'
          ? {
              ...e,
              data: `---\ntitle: 'Rights: "basic" #1'\nattachments: [map.png, handout.pdf]\n---\n---\n\n${String(e.data).split('---\n')[2]}`,
            }
          : e,
      );
      const moduleId = await importZip(makeZip(entries));
      const original = (await findCourse(String(course._id)))!.modules[0]!;
      expect(original.lessons[0]!.attachments.map((a) => a.name)).to.deep.equal(['map.png', 'handout.pdf']);

      const zip = await download(agent, `/teach/courses/${String(course._id)}/modules/${moduleId}/export`);
      expect(zip.status).to.equal(200);
      expect(zip.headers['content-type']).to.equal('application/zip');
      expect(zip.headers['content-disposition']).to.match(
        /^attachment; filename="rights-know-your-rights\.zip"/,
      );

      const other = await newCourse('rights-copy', trainer);
      const res = await post(agent, String(other._id), zip.body as Buffer);
      expect(res.status).to.equal(303);
      const copy = (await findCourse(String(other._id)))!.modules[0]!;
      expect(content(copy)).to.deep.equal(content(original));
      expect(copy.lessons[0]!.body.en).to.match(/!\[Map\]\(\/files\/[\w-]+\)/);
      expect(copy.lessons[0]!.attachments[0]!.fileId).to.not.equal(
        original.lessons[0]!.attachments[0]!.fileId,
      );
    });

    it('a trainer who is not an author gets 404 for both; an anonymous visitor is sent to sign in', async () => {
      const moduleId = await importZip(makeZip(goodPackage()));
      const stranger = await loginAgent(app, await makeTrainer());
      expect((await post(stranger, String(course._id), makeZip(goodPackage()))).status).to.equal(404);
      const exportUrl = `/teach/courses/${String(course._id)}/modules/${moduleId}/export`;
      expect((await stranger.get(exportUrl)).status).to.equal(404);
      expect((await findCourse(String(course._id)))!.modules).to.have.length(1);

      const anonymous = request.agent(app);
      const token = await tokenFor(anonymous, '/login');
      const posted = await anonymous
        .post(`/teach/courses/${String(course._id)}/modules/import?_csrf=${encodeURIComponent(token)}`)
        .attach('package', makeZip(goodPackage()), 'module.zip');
      expect(posted.status).to.equal(303);
      expect(posted.headers.location).to.match(/^\/login/);
      const got = await anonymous.get(exportUrl);
      expect(got.status).to.equal(303);
      expect(got.headers.location).to.equal(`/login?next=${encodeURIComponent(exportUrl)}`);
      expect(storedFiles()).to.equal(2);
    });

    it('an unknown module is a 404', async () => {
      const res = await agent.get(
        `/teach/courses/${String(course._id)}/modules/0123456789abcdef01234567/export`,
      );
      expect(res.status).to.equal(404);
    });
  });
});
