import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE_NAME = 'session-secret';

/**
 * Returns the secret kept in dataDir, creating it on first use. Owner-only permissions because anyone who
 * reads it can forge session cookies. `wx` makes two instances starting at once agree on one secret.
 */
export function loadOrCreateSessionSecret(dataDir: string): { secret: string; created: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, FILE_NAME);
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    return { secret: readFileSync(file, 'utf8').trim(), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(`${file} holds a secret shorter than 32 characters; delete it to regenerate`);
  return { secret, created: false };
}
