/**
 * The demo curriculum in demo/courses goes in through the product's own importers: every GIFT file must
 * read without a single problem, and every module package must import as an upload would, with its titles
 * in the three languages, Dari for the first module, and a source cited at the end of every lesson.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/config/config.js';
import { createCourse, findCourse } from '../../src/courses/courses.service.js';
import { importModuleFolder } from '../../src/courses/module-package.service.js';
import { readQuestionText } from '../../src/quizzes/question-import.service.js';
import { DEMO_COURSES_DIR, moduleTag, readCourseFile } from '../../src/cli/demo/content.js';
import { connectTestDb, testFileStore } from '../helpers/app-harness.js';
import { makeTrainer } from '../helpers/factories.js';

const courseDirs = readdirSync(DEMO_COURSES_DIR).map((name) => path.join(DEMO_COURSES_DIR, name));
const modulesOf = (dir: string) =>
  readdirSync(path.join(dir, 'modules'))
    .sort(new Intl.Collator('en', { numeric: true }).compare)
    .map((name) => ({ name, dir: path.join(dir, 'modules', name) }));

describe('the demo curriculum', () => {
  before(connectTestDb);

  it('has two courses, each with 3 to 5 modules and titles and summaries in English, Dari and Pashto', async () => {
    expect(courseDirs).to.have.length(2);
    for (const dir of courseDirs) {
      const file = await readCourseFile(dir);
      expect(modulesOf(dir).length, file.slug).to.be.within(3, 5);
      for (const l of ['en', 'fa-AF', 'ps-AF'] as const) {
        expect(file.title[l], `${file.slug} title ${l}`).to.be.a('string').and.not.empty;
        expect(file.summary[l], `${file.slug} summary ${l}`).to.be.a('string').and.not.empty;
      }
    }
  });

  describe('every GIFT file imports without a problem', () => {
    for (const dir of courseDirs)
      for (const name of readdirSync(path.join(dir, 'quizzes')))
        it(`${path.basename(dir)}/quizzes/${name}`, () => {
          const read = readQuestionText('gift', readFileSync(path.join(dir, 'quizzes', name), 'utf8'));
          expect(read.problems).to.deep.equal([]);
          expect(read.questions.length).to.be.at.least(4);
        });
  });

  it('gives every module a quiz of 4 to 8 questions (its own and the pre/post-test questions of its module), and the pre/post-test at least 10', () => {
    for (const dir of courseDirs) {
      const gift = (name: string) =>
        readQuestionText('gift', readFileSync(path.join(dir, 'quizzes', name), 'utf8')).questions;
      const prepost = gift('prepost.gift');
      expect(prepost.length).to.be.at.least(10);
      const types = new Set(prepost.map((q) => q.type));
      for (const [i, m] of modulesOf(dir).entries()) {
        const own = gift(`${m.name}.gift`);
        const shared = prepost.filter((q) => q.category.split('/').includes(moduleTag(i)));
        expect(shared.length, `${m.name}: pre/post-test questions`).to.be.at.least(1);
        expect(own.length + shared.length, m.name).to.be.within(4, 8);
        own.forEach((q) => types.add(q.type));
      }
      expect([...types].sort()).to.deep.equal([
        'matching',
        'multiple',
        'numerical',
        'short',
        'single',
        'truefalse',
      ]);
    }
  });

  describe('every module package imports as an upload would', () => {
    for (const dir of courseDirs)
      for (const [i, m] of modulesOf(dir).entries())
        it(`${path.basename(dir)}/modules/${m.name}`, async () => {
          const trainer = await makeTrainer();
          const created = await createCourse(
            {
              slug: `check-${i}`,
              primaryLocale: 'en',
              locales: ['en', 'fa-AF', 'ps-AF'],
              title: { en: 'Check', 'fa-AF': 'بررسی', 'ps-AF': 'کتنه' },
              summary: {},
              estimatedHours: 1,
              selfEnrol: true,
            },
            trainer,
          );
          await importModuleFolder(created, m.dir, { files: testFileStore(), limits: DEFAULT_UPLOAD_LIMITS });

          const course = (await findCourse(String(created._id)))!;
          const module = course.modules[0]!;
          for (const l of ['en', 'fa-AF', 'ps-AF'] as const) expect(module.title[l], l).to.not.be.empty;
          expect(module.lessons.length).to.be.within(2, 4);
          for (const lesson of module.lessons) {
            expect(lesson.body.en!.length, lesson.title.en).to.be.above(1200);
            expect(lesson.body.en!.trim()).to.match(/\nSource: ANCTIP news page, 2019 — [^\n]+/);
            if (i === 0) {
              expect(lesson.title['fa-AF'], `Dari title of ${lesson.title.en}`).to.match(/[\u0600-\u06ff]/);
              expect(lesson.body['fa-AF']!.trim()).to.match(/\nمنبع: صفحهٔ خبرهای ANCTIP، سال ۲۰۱۹ — /);
            }
          }
        });
  });
});
