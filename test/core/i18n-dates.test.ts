import { expect } from 'chai';
import { formatDate } from '../../src/core/dates.js';
import { createI18n, localeFromAcceptLanguage, SUPPORTED_LOCALES } from '../../src/core/i18n.js';

describe('locales and dates', () => {
  it('Dari and Pashto dates use the Solar Hijri calendar', () => {
    const nowruz = new Date(Date.UTC(2025, 2, 21, 12));
    expect(formatDate(nowruz, 'fa-AF')).to.contain('۱۴۰۴');
    expect(formatDate(nowruz, 'ps-AF')).to.contain('۱۴۰۴');
    expect(formatDate(nowruz, 'en')).to.contain('2025');
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
