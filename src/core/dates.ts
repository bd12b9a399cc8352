/**
 * Dari and Pashto readers in Afghanistan use the Solar Hijri calendar; Intl provides it through the
 * "persian" calendar extension, so no date library is needed.
 */
export function intlLocaleFor(locale: string): string {
  return locale === 'fa-AF' || locale === 'ps-AF' ? `${locale}-u-ca-persian` : locale;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs far more than using one: each is built once and kept. */
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(intlLocaleFor(locale), options)));
  return format;
}

export function formatDate(
  date: Date | string | number,
  locale: string,
  style: 'long' | 'medium' | 'short' = 'long',
): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  return formatter(locale, { dateStyle: style }).format(d);
}

export function formatDateTime(date: Date | string | number, locale: string): string {
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  return formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
