import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const AUTH_USER = 'sabaq';
export const AUTH_DB = 'admin';
/** MongoDB's default scramIterationCount for SCRAM-SHA-256. */
const ITERATIONS = 15_000;

/** What the server needs to verify a SCRAM-SHA-256 client, plus the password so the app can build its URI. */
export interface StoredCredentials {
  user: string;
  password: string;
  mechanism: 'SCRAM-SHA-256';
  iterations: number;
  salt: string;
  storedKey: string;
  serverKey: string;
}

export function deriveScramKeys(
  password: string,
  salt: Buffer,
  iterations: number,
): { storedKey: Buffer; serverKey: Buffer } {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

export function credentialsFile(dataDir: string): string {
  return path.join(dataDir, 'credentials.json');
}

function isStoredCredentials(value: unknown): value is StoredCredentials {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    ['user', 'password', 'salt', 'storedKey', 'serverKey'].every((k) => typeof v[k] === 'string') &&
    typeof v.iterations === 'number'
  );
}

/**
 * Loads the store's credentials, generating them on first start. The password is random base64url
 * (ASCII, so SASLprep leaves it unchanged), and the file is owner-only.
 */
export function loadOrCreateCredentials(dataDir: string): StoredCredentials {
  const file = credentialsFile(dataDir);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const parsed: unknown = JSON.parse(text);
    if (!isStoredCredentials(parsed)) throw new Error(`${file} is not a valid credentials file`);
    chmodSync(file, 0o600);
    return parsed;
  }
  const password = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const { storedKey, serverKey } = deriveScramKeys(password, salt, ITERATIONS);
  const creds: StoredCredentials = {
    user: AUTH_USER,
    password,
    mechanism: 'SCRAM-SHA-256',
    iterations: ITERATIONS,
    salt: salt.toString('base64'),
    storedKey: storedKey.toString('base64'),
    serverKey: serverKey.toString('base64'),
  };
  writeFileSync(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return creds;
}
