import { expect } from 'chai';
import type { Express } from 'express';
import yauzl from 'yauzl';
import { saveTemplate } from '../../src/certificates/certificate-template.js';
import { Certificate, type CertificateDoc } from '../../src/certificates/certificate.model.js';
import { formatCode } from '../../src/certificates/certificate-code.js';
import { FONTS } from '../../src/certificates/certificate-pdf.js';
import { buildTestApp } from '../helpers/app-harness.js';
import { completedMember } from '../helpers/certificates.js';
import { makeCourse } from '../helpers/courses.js';
import { completeFirstRun, loginAgent, makeCoordinator, makeTrainer } from '../helpers/factories.js';
import { getBinary, pdfFonts, pdfInfo, pdfPages, readQrCode, skipWithoutPoppler } from '../helpers/pdf.js';

const get = getBinary;

describe('certificate PDFs', function () {
  this.timeout(60_000);
  let app: Express;

  before(function () {
    skipWithoutPoppler(this);
  });
  beforeEach(async () => {
    app = await buildTestApp();
    await completeFirstRun();
    await saveTemplate({
      organisation: {
        en: 'Afghanistan Network for Combating Trafficking in Persons',
        'fa-AF': 'شبکهٔ مبارزه با قاچاق انسان',
      },
      locales: ['fa-AF', 'en'],
      colour: '#1f4e79',
      signatories: [{ name: 'Zahra Ahmadi', title: 'هماهنگ‌کننده' }],
    });
  });

  it('the embedded font has every Pashto letter, in both weights', async () => {
    const fontkit = await import('fontkit');
    for (const file of [FONTS.regular, FONTS.bold]) {
      const font = fontkit.openSync(file);
      for (const letter of 'ټډړښګڼېۍځڅږ')
        expect(font.hasGlyphForCodePoint(letter.codePointAt(0)!), `${letter} in ${file}`).to.equal(true);
    }
  });

  it('prints the name in both scripts in logical order, the course, both calendars, the code, and a QR code to verify', async () => {
    const { member, certificate } = await completedMember(app, { localName: 'ټوټه ډېره ړومبۍ ښکلي ګڼه' });
    // A completion day whose Solar Hijri date is known: 3 December 2026 is ۱۲ قوس ۱۴۰۵ in Kabul.
    await Certificate.updateOne(
      { _id: certificate._id },
      { $set: { 'snapshot.completedAt': new Date('2026-12-03T10:00:00Z'), 'snapshot.score': 85 } },
    );
    const pdf = await get(await loginAgent(app, member), `/certificates/${certificate.code}.pdf`);
    const [page] = await pdfPages(pdf);
    const lines = page!.split('\n');
    expect(lines).to.include('ټوټه ډېره ړومبۍ ښکلي ګڼه');
    expect(lines).not.to.include('ګڼه ښکلي ړومبۍ ډېره ټوټه');
    expect(lines).to.include(certificate.snapshot.nameLatin);
    // The fixture's titles mix scripts ("دوره 1"): the extractor gives their runs in visual order.
    expect(page).to.contain('دوره').and.to.contain(certificate.snapshot.courseTitle.en);
    expect(page).to.contain('۱۴۰۵').and.to.contain('قوس').and.not.to.contain('۵۰۴۱');
    expect(page).to.contain('December 3, 2026');
    // Both calendars on the English line too, for a template without Dari or Pashto.
    expect(page!.split('\n').find((l) => l.startsWith('Completed on')))
      .to.contain('۱۴۰۵')
      .and.to.contain('2026');
    // «نمره ۸۵٪»: by the bidi algorithm the Arabic percent sign stays right-to-left, left of the number.
    expect(page).to.contain('٪۸۵').and.not.to.contain('۵۸');
    expect(page).to.contain(formatCode(certificate.code));
    expect(readQrCode(pdf, 1)).to.equal(`http://sabaq.test/verify/${certificate.code}`);
    const info = await pdfInfo(pdf);
    expect(info).to.include({ Language: 'fa-AF', Author: 'شبکهٔ مبارزه با قاچاق انسان' });
    expect(String(info.Title)).to.contain(certificate.code);
    const fonts = pdfFonts(pdf);
    expect(fonts.length).to.be.greaterThan(0);
    expect(fonts.every((f) => f.embedded && f.subset)).to.equal(true);
  });

  it('prints a whole course as one PDF (cover, names to proof-read, a page each) and as a ZIP of single PDFs', async () => {
    const fixture = await makeCourse({ authors: [(await makeTrainer()).id], lessons: 1 });
    const names = ['نادیه احمدی', 'ګلالۍ وردګ', 'محمد یوسف'];
    const made: CertificateDoc[] = [];
    for (const localName of names)
      made.push((await completedMember(app, { fixture, localName })).certificate);
    const staff = await loginAgent(app, await makeCoordinator());
    const pdf = await get(staff, `/certificates/print?course=${String(fixture.course._id)}`);
    const pages = await pdfPages(pdf);
    expect(pages).to.have.length(2 + names.length);
    expect(pages[0]).to.contain(fixture.course.title.en).and.to.contain('۳');
    for (const c of made) {
      expect(pages[1]).to.contain(c.snapshot.nameLatin).and.to.contain(formatCode(c.code));
      expect(pages.slice(2).filter((p) => p.includes(formatCode(c.code)))).to.have.length(1);
    }
    // A lam-alef ligature comes back from the extractor as alef-lam: compare with both read alike.
    const ligatures = (text: string) => text.replace(/ال|لا/g, 'LA');
    for (const n of names) expect(ligatures(pages[1]!)).to.contain(ligatures(n));
    expect(readQrCode(pdf, 3)).to.match(/^http:\/\/sabaq\.test\/verify\/[2-9A-Z]{12}$/);

    const zip = await get(staff, `/certificates/print?course=${String(fixture.course._id)}&format=zip`);
    const entries = await new Promise<string[]>((resolve, reject) =>
      yauzl.fromBuffer(zip, { lazyEntries: false }, (err, file) => {
        if (err) return reject(err);
        const seen: string[] = [];
        file.on('entry', (e: yauzl.Entry) => seen.push(e.fileName));
        file.on('end', () => resolve(seen));
        file.on('error', reject);
      }),
    );
    expect(entries).to.have.length(3);
    for (const c of made) expect(entries.some((e) => e.endsWith(`-${c.code}.pdf`))).to.equal(true);
    expect((await staff.get('/certificates/print?course=not-an-id')).status).to.equal(404);
  });
});
