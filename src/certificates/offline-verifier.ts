import { createHash } from 'node:crypto';
import path from 'node:path';
import { bundleForBrowser } from '../core/browser-bundle.js';

/**
 * The offline verifier: one self-contained HTML page (its script inlined, the issuer's public key
 * printed in it) that a partner saves and opens later with no connection to check a credential file.
 * The script is bundled once per process, from the same verification code the command line uses.
 */

let script: Promise<string> | null = null;

function bundle(): Promise<string> {
  // A library records where its bundled contexts came from (new URL(…, import.meta.url)); a page has no
  // module URL, so it gets a placeholder that is never fetched.
  script ??= bundleForBrowser(path.join(import.meta.dirname, 'verifier-entry.ts'), {
    'import.meta.url': '"file:///sabaq-verifier.js"',
  }).catch((err: unknown) => {
    script = null;
    throw err;
  });
  return script;
}

/** The script, and the Content-Security-Policy source that allows exactly it. */
export async function verifierScript(): Promise<{ code: string; cspSource: string }> {
  const code = await bundle();
  return { code, cspSource: `'sha256-${createHash('sha256').update(code).digest('base64')}'` };
}
