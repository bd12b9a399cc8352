import { expect } from 'chai';
import { newPdfDocument } from '../../src/core/pdf-fonts.js';
import { drawLine, lineWidth, wrapText } from '../../src/core/pdf-text.js';

interface Drawn {
  text: string;
  x: number;
  rtl: boolean;
}

/** A page of a real document, with every piece of text drawn on it recorded (text, x, shaped right-to-left). */
function page() {
  const doc = newPdfDocument({ title: 'Test', author: 'Test Network', lang: 'en' });
  doc.addPage();
  const drawn: Drawn[] = [];
  const text = doc.text.bind(doc);
  doc.text = ((t: string, x: number, y: number, o?: PDFKit.Mixins.TextOptions) => {
    drawn.push({ text: t, x, rtl: (o?.features ?? []).includes('rtla') });
    return text(t, x, y, o);
  }) as typeof doc.text;
  return { doc, drawn };
}

describe('lines of text on printed pages', () => {
  describe('wrapping a paragraph', () => {
    it('breaks between words so that no line is wider than the box, and loses no word', () => {
      const { doc } = page();
      doc.font('regular').fontSize(12);
      const text = 'The law on trafficking in persons protects every victim, whoever and wherever they are';
      const lines = wrapText(doc, text, 120);
      expect(lines.length).to.be.greaterThan(3);
      for (const line of lines) expect(lineWidth(doc, line), line).to.be.at.most(120);
      expect(lines.join(' ')).to.equal(text);
    });

    it('a word wider than the box gets a line of its own; runs of spaces do not make empty lines', () => {
      const { doc } = page();
      doc.font('regular').fontSize(12);
      expect(wrapText(doc, 'a   Supercalifragilisticexpialidociousness  b', 40)).to.deep.equal([
        'a',
        'Supercalifragilisticexpialidociousness',
        'b',
      ]);
      expect(wrapText(doc, '   ', 40)).to.deep.equal([]);
    });
  });

  describe('drawing one line', () => {
    const LONG = 'A very long name that a certificate line cannot hold at this size';

    it('a line too wide shrinks just enough to fit, and not below the smallest size allowed', () => {
      const { doc } = page();
      const fitted = drawLine(doc, LONG, { font: 'bold', size: 20, x: 10, y: 10, width: 300, minSize: 6 });
      expect(fitted).to.be.below(20).and.above(6);
      doc.font('bold').fontSize(fitted);
      expect(lineWidth(doc, LONG)).to.be.at.most(300.01);
      expect(lineWidth(doc, LONG)).to.be.above(299);

      expect(drawLine(doc, LONG, { font: 'bold', size: 20, x: 10, y: 10, width: 300, minSize: 15 })).to.equal(
        15,
      );
      // Without a smallest size, a line keeps its size (and runs over).
      expect(drawLine(doc, LONG, { font: 'bold', size: 20, x: 10, y: 10, width: 300 })).to.equal(20);
      expect(
        drawLine(doc, 'Short', { font: 'bold', size: 20, x: 10, y: 10, width: 300, minSize: 6 }),
      ).to.equal(20);
    });

    it('right and centre alignment place the line within its box', () => {
      const { doc, drawn } = page();
      drawLine(doc, 'Short', { font: 'regular', size: 10, x: 100, y: 50, width: 200, align: 'right' });
      drawLine(doc, 'Short', { font: 'regular', size: 10, x: 100, y: 50, width: 200, align: 'center' });
      drawLine(doc, 'Short', { font: 'regular', size: 10, x: 100, y: 50, width: 200 });
      const w = doc.font('regular').fontSize(10).widthOfString('Short');
      expect(drawn.map((d) => d.x)).to.deep.equal([300 - w, 100 + (200 - w) / 2, 100]);
    });

    it('a mixed line is drawn run by run from the left: Persian digits one by one, Dari runs shaped right to left', () => {
      const { doc, drawn } = page();
      drawLine(doc, '  تاریخ:   ۱۲ قوس  ', { font: 'regular', size: 10, x: 0, y: 50, width: 300 });
      expect(drawn.map(({ text, rtl }) => [text, rtl])).to.deep.equal([
        [' قوس', true],
        ['۱', false],
        ['۲', false],
        ['تاریخ: ', true],
      ]);
      const xs = drawn.map((d) => d.x);
      expect(xs[0]).to.equal(0);
      expect([...xs].sort((a, b) => a - b)).to.deep.equal(xs);
    });
  });
});
