import { expect } from 'chai';
import { visualRuns } from '../../src/core/pdf-text.js';

describe('bidi runs for PDF lines', () => {
  it('a name wholly in Dari or Pashto is one right-to-left run, in logical order for the font engine', () => {
    expect(visualRuns('احمد شبیر صافی')).to.deep.equal([{ text: 'احمد شبیر صافی', rtl: true }]);
    expect(visualRuns('ټوټه ډاکټر ړومبی ښکلي ګڼه ېۍ')).to.deep.equal([
      { text: 'ټوټه ډاکټر ړومبی ښکلي ګڼه ېۍ', rtl: true },
    ]);
  });

  it('digits in right-to-left text are their own left-to-right runs, placed right to left', () => {
    expect(visualRuns('تاریخ: ۱۲ قوس ۱۴۰۵')).to.deep.equal([
      { text: '۱۴۰۵', rtl: false },
      { text: ' قوس ', rtl: true },
      { text: '۱۲', rtl: false },
      { text: 'تاریخ: ', rtl: true },
    ]);
  });

  it('Latin in a Dari line and Dari in an English line keep their places', () => {
    expect(visualRuns('Course: قاچاق انسان — law 101')).to.deep.equal([
      { text: 'Course: ', rtl: false },
      { text: 'قاچاق انسان', rtl: true },
      { text: ' — law 101', rtl: false },
    ]);
    expect(visualRuns('دوره TIP سال')).to.deep.equal([
      { text: ' سال', rtl: true },
      { text: 'TIP', rtl: false },
      { text: 'دوره ', rtl: true },
    ]);
  });

  it('brackets in right-to-left text are mirrored, and a run of punctuation alone is put in visual order', () => {
    expect(visualRuns('دوره (قاچاق) سال')).to.deep.equal([{ text: 'دوره )قاچاق( سال', rtl: true }]);
    expect(visualRuns('تاریخ ۱۴۰۵ (2026)')).to.deep.equal([
      { text: '(', rtl: false },
      { text: '2026', rtl: false },
      { text: ') ', rtl: false },
      { text: '۱۴۰۵', rtl: false },
      { text: 'تاریخ ', rtl: true },
    ]);
  });

  it('a run of Arabic punctuation and a bracket between an English date and a figure is put in visual order too', () => {
    // The certificate's Dari line: the bracket closes after "2019", the Arabic comma follows it.
    const runs = visualRuns('تاریخ تکمیل: ۷ ثور ۱۳۹۸ (April 27, 2019) ، ۱۲ ساعت', 'rtl');
    expect(runs.map((r) => r.text).join('')).to.equal(' ساعت۱۲ ، (April 27, 2019) ۱۳۹۸ ثور ۷تاریخ تکمیل: ');
    expect(runs.find((r) => r.text.includes('،'))).to.deep.equal({ text: ' ، (', rtl: false });
  });
});
