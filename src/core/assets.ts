import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { bundleForBrowser } from './browser-bundle.js';
import subsetFont from 'subset-font';
import { publicDir } from './paths.js';

/**
 * Static files as a phone on a prepaid bundle should get them: read, subset and compressed once at start,
 * served from memory under names that carry a hash of their content, cached for a year. A page asks for
 * `asset('/css/app.css')` and gets `/assets/css/app.<hash>.css`; a new release changes the hash.
 */

interface Asset {
  type: string;
  body: Buffer;
  /** Precompressed copies, for text types. */
  br?: Buffer;
  gzip?: Buffer;
}

export interface AssetBundle {
  /** The hashed address of a logical path such as '/css/app.css'; throws for an unknown one (a typo). */
  url: (logical: string) => string;
  /** Serves /assets/…; anything else passes on. */
  handler: RequestHandler;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * The letters, digits, marks and punctuation Dari and Pashto are written with (and the joiners their
 * spelling needs). The Arabic-script font is cut down to these: under 25 kB instead of 111 kB.
 */
export const DARI_PASHTO_RANGES: readonly (readonly [number, number])[] = [
  [0x060c, 0x060c], // ،
  [0x061b, 0x061b], // ؛
  [0x061f, 0x061f], // ؟
  [0x0621, 0x063a], // ء … غ
  [0x0640, 0x0655], // ـ ف … ي, harakat, hamza marks
  [0x0660, 0x066c], // Arabic-Indic digits, ٪ ٫ ٬
  [0x0670, 0x0670], // superscript alef
  [0x0679, 0x0679],
  [0x067c, 0x067c], // ټ
  [0x067e, 0x067e], // پ
  [0x0681, 0x0681], // ځ
  [0x0685, 0x0686], // څ چ
  [0x0689, 0x0689], // ډ
  [0x0693, 0x0693], // ړ
  [0x0696, 0x0696], // ږ
  [0x0698, 0x0698], // ژ
  [0x069a, 0x069a], // ښ
  [0x06a9, 0x06a9], // ک
  [0x06ab, 0x06ab], // ګ
  [0x06af, 0x06af], // گ
  [0x06bc, 0x06bc], // ڼ
  [0x06c0, 0x06c0], // ۀ
  [0x06cc, 0x06cd], // ی ۍ
  [0x06d0, 0x06d0], // ې
  [0x06f0, 0x06f9], // Persian digits
  [0x200c, 0x200f], // ZWNJ, ZWJ, LRM, RLM
  [0x00ab, 0x00ab], // «
  [0x00bb, 0x00bb], // »
];

function rangeText(ranges: readonly (readonly [number, number])[]): string {
  let text = '';
  for (const [from, to] of ranges) for (let c = from; c <= to; c += 1) text += String.fromCodePoint(c);
  return text;
}

/** CSS unicode-range for the subset, so browsers fetch the font only for pages that show such letters. */
export function unicodeRange(): string {
  return DARI_PASHTO_RANGES.map(([a, b]) =>
    a === b
      ? `U+${a.toString(16).toUpperCase()}`
      : `U+${a.toString(16).toUpperCase()}-${b.toString(16).toUpperCase()}`,
  ).join(', ');
}

const require = createRequire(import.meta.url);
const vazirmatn = path.join(
  path.dirname(require.resolve('vazirmatn/package.json')),
  'fonts',
  'webfonts',
  'Vazirmatn[wght].woff2',
);

function hashedName(logical: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  const ext = path.extname(logical);
  return `/assets${logical.slice(0, -ext.length)}.${hash}${ext}`;
}

function compressed(type: string, body: Buffer): Pick<Asset, 'br' | 'gzip'> {
  if (!type.startsWith('text/') && type !== 'image/svg+xml') return {};
  return {
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(body, { level: 9 }),
  };
}

let loading: Promise<AssetBundle> | undefined;

/** Reads and prepares every asset; done once per process (the result is shared). */
export function loadAssets(): Promise<AssetBundle> {
  loading ??= buildAssets();
  return loading;
}

async function buildAssets(): Promise<AssetBundle> {
  const urls = new Map<string, string>();
  const served = new Map<string, Asset>();
  const add = (logical: string, body: Buffer) => {
    const type = TYPES[path.extname(logical)] ?? 'application/octet-stream';
    const url = hashedName(logical, body);
    urls.set(logical, url);
    served.set(url, { type, body, ...compressed(type, body) });
  };

  // Weights 400 to 700 are all the stylesheet uses; the axis is kept, cut to that range.
  const font = await subsetFont(await readFile(vazirmatn), rangeText(DARI_PASHTO_RANGES), {
    targetFormat: 'woff2',
    variationAxes: { wght: { min: 400, max: 700 } },
  });
  add('/fonts/vazirmatn.woff2', font);
  add('/favicon.svg', await readFile(path.join(publicDir, 'favicon.svg')));
  add('/js/enhance.js', await readFile(path.join(publicDir, 'js', 'enhance.js')));
  add('/js/quiz.js', await readFile(path.join(publicDir, 'js', 'quiz.js')));
  // A service worker lives at a fixed address (its scope is where it is served from) and must be
  // revalidated, so a new version reaches browsers.
  // The service worker and the Workbox modules it uses, as one classic script (a worker has no imports);
  // Workbox logs its every step unless built for production.
  const sw = Buffer.from(
    await bundleForBrowser(path.join(publicDir, 'js', 'sw.src.js'), {
      'process.env.NODE_ENV': '"production"',
    }),
  );
  served.set('/sw.js', {
    type: 'text/javascript; charset=utf-8',
    body: sw,
    ...compressed('text/javascript', sw),
  });
  // The stylesheet names other assets by logical path; they become their hashed addresses here.
  const css = (await readFile(path.join(publicDir, 'css', 'app.css'), 'utf8'))
    .replace(/url\('(\/fonts\/[^']+)'\)/g, (_m, logical: string) => `url('${urls.get(logical) ?? logical}')`)
    .replace('/* unicode-range */', `unicode-range: ${unicodeRange()};`);
  add('/css/app.css', Buffer.from(css));

  return {
    url: (logical) => {
      const url = urls.get(logical);
      if (!url) throw new Error(`no asset ${logical}`);
      return url;
    },
    handler: (req, res, next) => {
      const asset = req.method === 'GET' || req.method === 'HEAD' ? served.get(req.path) : undefined;
      if (!asset) return next();
      res.setHeader(
        'Cache-Control',
        req.path === '/sw.js' ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Vary', 'Accept-Encoding');
      const accepts = String(req.headers['accept-encoding'] ?? '');
      let body = asset.body;
      if (asset.br && /\bbr\b/.test(accepts)) {
        res.setHeader('Content-Encoding', 'br');
        body = asset.br;
      } else if (asset.gzip && /\bgzip\b/.test(accepts)) {
        res.setHeader('Content-Encoding', 'gzip');
        body = asset.gzip;
      }
      res.setHeader('Content-Length', String(body.length));
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
