import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Trainers write lessons (and later questions) in Markdown; members' browsers get HTML. marked turns the
 * Markdown into HTML, then sanitize-html keeps only plain document structure: no script, no style, no
 * event handler, no javascript: or data: links, no iframe or form. The result is the only HTML views print
 * unescaped. Links open in the same tab and carry rel="noopener noreferrer"; images must be on this site
 * (lesson attachments), so a lesson cannot make a member's phone fetch from elsewhere.
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    'del',
    'sup',
    'sub',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'bdi',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    '*': ['dir'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] as string[] },
  allowProtocolRelative: false,
  // A heading one level deeper than written: the page's own title is the only h1.
  transformTags: {
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
    h4: 'h4',
    h5: 'h4',
    h6: 'h4',
    a: (tagName: string, attribs: Record<string, string>) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer' },
    }),
  },
  exclusiveFilter: (frame: { tag: string; attribs: Record<string, string> }) =>
    frame.tag === 'img' && !/^\/files\/[\w-]{1,64}$/.test(frame.attribs.src ?? ''),
} satisfies sanitizeHtml.IOptions;

/**
 * Markdown rendered lately, by its text: question and option texts are shown on every attempt page, and a
 * lesson on every view of it (an edited lesson is a new text). Bounded by the characters held, since a
 * lesson may hold 100,000 per language; the oldest go first (a Map keeps insertion order).
 */
const rendered = new Map<string, string>();
const MAX_RENDERED_CHARS = 20_000_000;
let renderedChars = 0;

export function renderMarkdown(markdown: string): string {
  const text = String(markdown);
  const known = rendered.get(text);
  if (known !== undefined) return known;
  const html = sanitizeHtml(marked.parse(text) as string, {
    ...ALLOWED,
    allowedAttributes: { ...ALLOWED.allowedAttributes, a: ['href', 'title', 'rel'] },
  });
  rendered.set(text, html);
  renderedChars += text.length + html.length;
  for (const [oldText, oldHtml] of rendered) {
    if (renderedChars <= MAX_RENDERED_CHARS) break;
    rendered.delete(oldText);
    renderedChars -= oldText.length + oldHtml.length;
  }
  return html;
}

/** The text of a Markdown document without its markup, a paragraph per block: for print, where no HTML goes. */
export function markdownToParagraphs(markdown: string): string[] {
  // A line break inside a paragraph is only a space, as on screen; lines of a code block stay lines.
  const html = (marked.parse(String(markdown)) as string).replace(/<pre[\s\S]*?<\/pre>|\n/g, (m) =>
    m === '\n' ? ' ' : m,
  );
  const text = sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote|pre|tr)>|<br\s*\/?>/g, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  });
  const decoded = text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return decoded
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}
