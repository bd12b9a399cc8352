import type { MultikeyDocument } from '@digitalbazaar/ed25519-multikey';

/**
 * Where the issuer publishes what verifiers need, and its controller document. No server code here: the
 * offline verifier page runs this in the browser.
 */

export interface IssuerAddresses {
  issuer: string;
  keyId: string;
  key: string;
  statusList: (list: number) => string;
}

export function issuerAddresses(base: string): IssuerAddresses {
  const root = base.replace(/\/+$/, '');
  return {
    issuer: `${root}/issuer`,
    keyId: `${root}/issuer#key-1`,
    key: `${root}/issuer/key`,
    statusList: (list) => `${root}/credentials/status/${list}`,
  };
}

/** The issuer's controller document: the key, and that it may sign credentials (assertionMethod). */
export function controllerDocument(base: string, key: MultikeyDocument): Record<string, unknown> {
  const { '@context': _context, ...method } = key;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: issuerAddresses(base).issuer,
    verificationMethod: [method],
    assertionMethod: [method],
  };
}
