/**
 * The notice a page shows for a `?notice=` or `?saved=` in its address: only one of the page's own (those
 * its redirects ask for), as the message key `prefix.name`. Anything else a link carries shows nothing,
 * so no address can put a raw key or someone's text in the page's notice box.
 */
export function knownNotice(asked: unknown, known: readonly string[], prefix: string): string | undefined {
  return typeof asked === 'string' && known.includes(asked) ? `${prefix}.${asked}` : undefined;
}
