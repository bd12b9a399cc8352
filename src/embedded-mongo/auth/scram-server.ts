import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Binary, type Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { AUTH_DB, type StoredCredentials } from './credentials.js';

/** State kept on a connection between saslStart and saslContinue. */
export interface ScramConversation {
  id: number;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  user: string;
}

export function authFailed(): MongoCommandError {
  // MongoDB never says which part was wrong.
  return new MongoCommandError(ErrorCodes.AuthenticationFailed, 'Authentication failed.');
}

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.value()).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return Buffer.from(payload, 'base64').toString('utf8');
  throw new MongoCommandError(ErrorCodes.BadValue, 'SASL payload must be BinData');
}

function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/**
 * Server side of SCRAM-SHA-256 (RFC 5802/7677) as the MongoDB driver speaks it
 * (mongodb/lib/cmap/auth/scram.js): one saslStart, one saslContinue; with skipEmptyExchange the server
 * answers done:true together with its signature.
 */
export class ScramServer {
  private nextConversation = 1;

  constructor(private readonly creds: StoredCredentials) {}

  start(db: string, cmd: Document): { conversation: ScramConversation; reply: Document } {
    if (cmd.mechanism !== 'SCRAM-SHA-256') {
      throw new MongoCommandError(
        ErrorCodes.BadValue,
        `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`,
      );
    }
    const clientFirst = payloadText(cmd.payload);
    if (!clientFirst.startsWith('n,')) throw authFailed(); // channel binding is not offered
    const bareStart = clientFirst.indexOf(',', 2);
    if (bareStart < 0) throw authFailed();
    const clientFirstBare = clientFirst.slice(bareStart + 1);
    const attrs = attributes(clientFirstBare);
    const user = decodeSaslName(attrs.get('n') ?? '');
    const clientNonce = attrs.get('r');
    if (db !== AUTH_DB || user !== this.creds.user || !clientNonce) throw authFailed();
    const nonce = clientNonce + randomBytes(24).toString('base64');
    const serverFirst = `r=${nonce},s=${this.creds.salt},i=${this.creds.iterations}`;
    const conversation = { id: this.nextConversation++, clientFirstBare, serverFirst, nonce, user };
    return {
      conversation,
      reply: {
        conversationId: conversation.id,
        done: false,
        payload: new Binary(Buffer.from(serverFirst, 'utf8')),
        ok: 1,
      },
    };
  }

  /** Verifies the client proof; returns the reply carrying the server signature. Throws 18 on mismatch. */
  finish(conversation: ScramConversation, cmd: Document): Document {
    const clientFinal = payloadText(cmd.payload);
    const attrs = attributes(clientFinal);
    const proof = attrs.get('p');
    if (attrs.get('r') !== conversation.nonce || attrs.get('c') !== 'biws' || !proof) throw authFailed();
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${conversation.clientFirstBare},${conversation.serverFirst},${withoutProof}`;
    const storedKey = Buffer.from(this.creds.storedKey, 'base64');
    const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proofBytes = Buffer.from(proof, 'base64');
    if (proofBytes.length !== clientSignature.length) throw authFailed();
    const clientKey = Buffer.alloc(proofBytes.length);
    for (let i = 0; i < proofBytes.length; i++) clientKey[i] = proofBytes[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(createHash('sha256').update(clientKey).digest(), storedKey)) throw authFailed();
    const serverSignature = createHmac('sha256', Buffer.from(this.creds.serverKey, 'base64'))
      .update(authMessage)
      .digest('base64');
    return {
      conversationId: conversation.id,
      done: true,
      payload: new Binary(Buffer.from(`v=${serverSignature}`, 'utf8')),
      ok: 1,
    };
  }
}
