/// <reference lib="dom" />
/**
 * The offline verifier page's script (bundled with esbuild into the page itself): reads a credential file
 * and, optionally, a saved status list, and checks them with the issuer key printed in the page. The page
 * works saved to disk and opened with no connection.
 */
import type { MultikeyDocument } from '@digitalbazaar/ed25519-multikey';
import { verifyOffline } from './credential-verify.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const key = JSON.parse(byId('issuer-key').textContent ?? '{}') as MultikeyDocument;
const form = byId<HTMLFormElement>('verifier');
const out = byId<HTMLDivElement>('verdict');
const say = (text: string, ok: boolean | null) => {
  out.textContent = text;
  out.className = `alert ${ok === null ? 'alert-info' : ok ? 'alert-success' : 'alert-error'}`;
  out.hidden = false;
};

async function readJson(input: HTMLInputElement): Promise<Record<string, unknown> | undefined> {
  const file = input.files?.[0];
  return file ? (JSON.parse(await file.text()) as Record<string, unknown>) : undefined;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = (name: string) => out.dataset[name] ?? name;
  say(text('checking'), null);
  void (async () => {
    try {
      const credential = await readJson(byId<HTMLInputElement>('f-credential'));
      if (!credential) return say(text('choose'), false);
      const status = await readJson(byId<HTMLInputElement>('f-status'));
      const result = await verifyOffline(credential, key, status);
      const subject = credential.credentialSubject as { achievement?: { name?: string } } | undefined;
      if (!result.verified) return say(text('invalid'), false);
      if (result.revoked) return say(text('revoked'), false);
      const course = subject?.achievement?.name ?? '';
      say(
        `${text('valid')} ${course} ${result.revoked === false ? text('notRevoked') : text('statusUnchecked')}`,
        true,
      );
    } catch {
      say(text('unreadable'), false);
    }
  })();
});
