import { Schema } from 'mongoose';
import { defineModel } from '../core/models.js';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { isDuplicateKey } from '../core/app-error.js';
import { issuerAddresses } from './credential-addresses.js';

/**
 * The organisation as the issuer of signed credentials: one Ed25519 key, made at first use and kept in the
 * database (so every app instance signs with the same key; the secret never leaves the server), its
 * public half published at stable addresses under BASE_URL: `/issuer` (the issuer's profile and
 * controller document) and `/issuer/key` (the key alone, what an offline verifier needs).
 */

const KEY_ID = 'ed25519-1';

const issuerKeySchema = new Schema(
  {
    _id: { type: String },
    publicKeyMultibase: { type: String, required: true },
    secretKeyMultibase: { type: String, required: true },
  },
  { timestamps: true },
);
const IssuerKey = defineModel('IssuerKey', issuerKeySchema, 'issuerkeys');

interface KeyMaterial {
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

// The key never changes once made: read once per process.
let material: Promise<KeyMaterial> | null = null;

async function loadOrCreate(): Promise<KeyMaterial> {
  const found = await IssuerKey.findById(KEY_ID).lean<KeyMaterial>();
  if (found) return found;
  const fresh = await (await Ed25519Multikey.generate({})).export({ publicKey: true, secretKey: true });
  try {
    await IssuerKey.create({
      _id: KEY_ID,
      publicKeyMultibase: fresh.publicKeyMultibase,
      secretKeyMultibase: fresh.secretKeyMultibase,
    });
  } catch (err) {
    // Another instance made its key at the same moment: everyone uses the one stored.
    if (!isDuplicateKey(err)) throw err;
  }
  const stored = await IssuerKey.findById(KEY_ID).lean<KeyMaterial>();
  if (!stored) throw new Error('the issuer key could not be stored');
  return stored;
}

function keyMaterial(): Promise<KeyMaterial> {
  material ??= loadOrCreate().catch((err: unknown) => {
    material = null;
    throw err;
  });
  return material;
}

/** For tests: a new database has a new key. */
export function forgetIssuerKey(): void {
  material = null;
}

export async function issuerKeyPair(base: string): Promise<Ed25519Multikey.KeyPair> {
  const a = issuerAddresses(base);
  const m = await keyMaterial();
  return Ed25519Multikey.from({ id: a.keyId, controller: a.issuer, ...m });
}

/** The public key as a Multikey document: all an offline verifier needs to check a signature. */
export async function publicKeyDocument(base: string): Promise<Ed25519Multikey.MultikeyDocument> {
  const a = issuerAddresses(base);
  return {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: a.keyId,
    type: 'Multikey',
    controller: a.issuer,
    publicKeyMultibase: (await keyMaterial()).publicKeyMultibase,
  };
}
