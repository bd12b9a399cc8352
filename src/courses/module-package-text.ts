import { parse, stringify } from 'yaml';
import { packageError } from './module-package-zip.js';

/** The Markdown side of a module package: front matter, text rules, and the links between lessons and files. */

export interface MarkdownFile {
  data: Record<string, unknown>;
  body: string;
}

// The same characters the lesson editor refuses (see courses.schemas): controls and direction overrides.
// eslint-disable-next-line no-control-regex
const BAD_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/;

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Reads a Markdown file: UTF-8 only (a byte-order mark is dropped), with optional YAML front matter. */
export function parseMarkdownFile(bytes: Buffer, entry: string): MarkdownFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw packageError(422, 'badText', entry);
  }
  const match = FRONT_MATTER.exec(text);
  if (!match) return { data: {}, body: text };
  let data: unknown;
  try {
    // No aliases: they are how a few bytes of YAML expand into gigabytes ("billion laughs").
    data = parse(match[1] ?? '', { maxAliasCount: 0, uniqueKeys: true, prettyErrors: false });
  } catch {
    throw packageError(422, 'frontMatter', entry);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw packageError(422, 'frontMatter', entry);
  return { data: data as Record<string, unknown>, body: text.slice(match[0].length) };
}

/** A file with front matter; written even when empty, so a body starting with `---` is never taken for it. */
export function writeMarkdownFile(data: Record<string, unknown>, body: string): string {
  const yaml = Object.keys(data).length ? stringify(data, { lineWidth: 0 }) : '';
  return `---\n${yaml}---\n${body}`;
}

/** A title or a body as the editor would accept it: no control characters, not too long. */
export function checkedText(value: string, max: number, entry: string): string {
  if (BAD_TEXT.test(value)) throw packageError(422, 'badText', entry);
  if (value.length > max) throw packageError(422, 'textTooLong', entry);
  return value;
}

/** A front-matter value that must be a short text: numbers and booleans are taken as written. */
export function scalarText(value: unknown, entry: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw packageError(422, 'frontMatter', entry);
}

// An inline link or image destination, `](dest` or `](<dest>`, and a reference definition `[id]: dest`.
const INLINE_TARGET = /(\]\([ \t]*)(<[^<>\n]*>|[^\s()<>]+)/g;
const REFERENCE_TARGET = /^([ ]{0,3}\[[^\]\n]+\]:[ \t]*)(<[^<>\n]*>|\S+)/gm;

/**
 * Rewrites link and image destinations that `map` knows, leaving every other one as written. `map` gets the
 * destination without angle brackets and returns the new one, or undefined to keep it.
 */
export function mapLinkTargets(markdown: string, map: (target: string) => string | undefined): string {
  const replace = (whole: string, lead: string, target: string) => {
    const bare = target.startsWith('<') ? target.slice(1, -1) : target;
    const mapped = map(bare);
    if (mapped === undefined) return whole;
    return lead + (/[\s()<>]/.test(mapped) ? `<${mapped}>` : mapped);
  };
  return markdown.replace(INLINE_TARGET, replace).replace(REFERENCE_TARGET, replace);
}

/** A relative path as a trainer may write it: `./01-intro/map.png`, `01-intro/my%20map.png`. */
export function normalizeRelative(target: string): string {
  let path = target.replace(/^\.\//, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-encoded after all: taken as written.
  }
  return path.normalize('NFC');
}
