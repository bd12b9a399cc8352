/**
 * npm run verify-credential -- certificate.json --key issuer-key.json [--status status-list.json]
 *
 * Checks a Sabaq certificate credential with no network: the signature against the issuer's public key
 * (the JSON at <BASE_URL>/issuer/key, or the controller document at <BASE_URL>/issuer, saved once), and
 * with --status, whether it has been revoked (the list at the address in its credentialStatus, saved
 * when last online). Exit code 0: valid and not revoked; 1: not valid or revoked; 2: bad arguments.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MultikeyDocument } from '@digitalbazaar/ed25519-multikey';
import { verifyOffline } from '../certificates/certificates.service.js';

function readJson(file: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read ${what} from ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The key itself, or the first assertion key of a controller document. */
function keyFrom(doc: Record<string, unknown>): MultikeyDocument {
  const candidates = [doc, ...(Array.isArray(doc.assertionMethod) ? (doc.assertionMethod as unknown[]) : [])];
  const key = candidates.find(
    (k): k is MultikeyDocument =>
      !!k &&
      typeof k === 'object' &&
      (k as MultikeyDocument).type === 'Multikey' &&
      typeof (k as MultikeyDocument).publicKeyMultibase === 'string',
  );
  if (!key) throw new Error('the --key file holds no Multikey public key');
  return key;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, status: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.key) {
    console.error(
      'usage: npm run verify-credential -- certificate.json --key issuer-key.json [--status status-list.json]',
    );
    return 2;
  }
  const credential = readJson(positionals[0]!, 'the credential');
  const key = keyFrom(readJson(values.key, 'the issuer key'));
  const status = values.status ? readJson(values.status, 'the status list') : undefined;
  const result = await verifyOffline(credential, key, status);
  const subject = credential.credentialSubject as
    { name?: string; achievement?: { name?: string } } | undefined;
  if (!result.verified) {
    console.log('NOT VALID: the signature does not match this issuer key, or the credential was changed.');
    for (const p of result.problems) console.log(`  - ${p}`);
    return 1;
  }
  console.log(`VALID: signed by ${key.controller}`);
  console.log(`  certificate: ${String(credential.id)}`);
  if (subject?.achievement?.name) console.log(`  course: ${subject.achievement.name}`);
  if (subject?.name) console.log(`  holder: ${subject.name}`);
  console.log(`  valid from: ${String(credential.validFrom)}`);
  for (const p of result.problems) console.log(`  note: ${p}`);
  if (result.revoked === true) {
    console.log('REVOKED: the issuer has withdrawn this certificate.');
    return 1;
  }
  console.log(
    result.revoked === false
      ? '  not revoked (status list checked)'
      : '  revocation not checked (no --status)',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
