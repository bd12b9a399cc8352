/**
 * Dari and Pashto readers in Afghanistan use the Solar Hijri calendar; Intl provides it through the
 * "persian" calendar extension, so no date library is needed.
 */
export function intlLocaleFor(locale: string): string {
  return locale === 'fa-AF' || locale === 'ps-AF' ? `${locale}-u-ca-persian` : locale;
}

export function formatDate(
  date: Date | string | number,
  locale: string,
  style: 'long' | 'medium' | 'short' = 'long',
): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocaleFor(locale), { dateStyle: style }).format(d);
}

export function formatDateTime(date: Date | string | number, locale: string): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocaleFor(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(
    d,
  );
}
