/**
 * Accepts only a path on this site. Rejects absolute and protocol-relative URLs ("//evil", "/\\evil"), which
 * browsers would follow off-site, and anything with control characters.
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://local.invalid');
    if (url.origin !== 'http://local.invalid') return fallback;
    const local = url.pathname + url.search + url.hash;
    // Dot segments are resolved here, so "/..//evil.example" or "/.//evil.example" only become
    // protocol-relative ("//evil.example") after parsing: check the result, not just the input.
    return local.startsWith('//') ? fallback : local;
  } catch {
    return fallback;
  }
}
