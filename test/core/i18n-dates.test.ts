import { expect } from 'chai';
import { formatDate, formatDateTime, isTimeZone } from '../../src/core/dates.js';
import { createI18n, formatBytes, localeFromAcceptLanguage, SUPPORTED_LOCALES } from '../../src/core/i18n.js';

describe('locales and dates', () => {
  it('Dari and Pashto dates use the Solar Hijri calendar', () => {
    const nowruz = new Date(Date.UTC(2025, 2, 21, 12));
    expect(formatDate(nowruz, 'fa-AF')).to.contain('۱۴۰۴');
    expect(formatDate(nowruz, 'ps-AF')).to.contain('۱۴۰۴');
    expect(formatDate(nowruz, 'en')).to.contain('2025');
  });

  it('dates read naturally in each language: day, month, year, Persian digits, no Latin era', () => {
    const afternoon = new Date(Date.UTC(2026, 11, 2, 14, 16)); // 18:46 in Kabul
    expect(formatDate(afternoon, 'en')).to.equal('December 2, 2026');
    expect(formatDate(afternoon, 'fa-AF')).to.equal('۱۱ قوس ۱۴۰۵');
    expect(formatDate(afternoon, 'ps-AF')).to.equal('۱۱ لیندۍ ۱۴۰۵');
    expect(formatDateTime(afternoon, 'en')).to.equal('Dec 2, 2026, 6:46 PM');
    expect(formatDateTime(afternoon, 'fa-AF')).to.equal('۱۱ قوس ۱۴۰۵، ۱۸:۴۶');
    expect(formatDateTime(afternoon, 'ps-AF')).to.equal('۱۱ لیندۍ ۱۴۰۵، ۱۸:۴۶');
  });

  it("every date is in the organisation's time zone: Kabul by default, whatever the server's", () => {
    // 20:00 UTC on 20 March is already Nowruz, 1 Hamal 1405, in Kabul (UTC+4:30).
    const evening = new Date(Date.UTC(2026, 2, 20, 20, 0));
    expect(formatDateTime(evening, 'fa-AF')).to.equal('۱ حمل ۱۴۰۵، ۰۰:۳۰');
    expect(formatDateTime(evening, 'ps-AF')).to.equal('۱ وری ۱۴۰۵، ۰۰:۳۰');
    expect(formatDateTime(evening, 'en')).to.equal('Mar 21, 2026, 12:30 AM');
    expect(formatDateTime(evening, 'fa-AF', 'UTC')).to.equal('۲۹ حوت ۱۴۰۴، ۲۰:۰۰');
    expect(formatDate(evening, 'en', 'Europe/Berlin')).to.equal('March 20, 2026');
  });

  it('a time zone is one Intl knows, nothing else', () => {
    expect(isTimeZone('Asia/Kabul')).to.equal(true);
    for (const bad of ['Kabul', '', 'Asia/Kabul; DROP', 'x'.repeat(100), 42, null])
      expect(isTimeZone(bad)).to.equal(false);
  });

  it('Accept-Language picks Dari for fa/prs, Pashto for ps, in order of preference', () => {
    expect(localeFromAcceptLanguage('prs-AF')).to.equal('fa-AF');
    expect(localeFromAcceptLanguage('de, ps;q=0.8, en;q=0.5')).to.equal('ps-AF');
    expect(localeFromAcceptLanguage('en;q=0.4, fa;q=0.9')).to.equal('fa-AF');
    expect(localeFromAcceptLanguage('de')).to.equal(undefined);
  });

  it('en, fa-AF and ps-AF have exactly the same keys: none missing, none left over', () => {
    const i18n = createI18n();
    const keys = (obj: object, prefix = ''): string[] =>
      Object.entries(obj).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const english = new Set(keys(i18n.getResourceBundle('en', 'translation') as object));
    expect(english.size).to.be.greaterThan(50);
    for (const locale of SUPPORTED_LOCALES) {
      const own = new Set(keys(i18n.getResourceBundle(locale, 'translation') as object));
      expect(
        [...english].filter((k) => !own.has(k)),
        `${locale}: missing`,
      ).to.deep.equal([]);
      // A key only in a translation is a typo or a leftover: English readers would see the raw key.
      expect(
        [...own].filter((k) => !english.has(k)),
        `${locale}: not in en`,
      ).to.deep.equal([]);
    }
  });
});

describe('download sizes', () => {
  it('are written in binary multiples, in the reader’s digits', () => {
    expect(formatBytes(50 * 1024 * 1024, 'en')).to.equal('50 MB');
    expect(formatBytes(20_014, 'en')).to.equal('20 kB');
    expect(formatBytes(300, 'en')).to.equal('1 kB');
    expect(formatBytes(1.5 * 1024 ** 3, 'en')).to.equal('1.5 GB');
    expect(formatBytes(12.5 * 1024 * 1024, 'fa-AF')).to.equal('۱۲٫۵ MB');
    expect(formatBytes(500 * 1024 * 1024, 'ps-AF')).to.equal('۵۰۰ MB');
  });
});
