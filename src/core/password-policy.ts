import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths.js';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

let commonPasswords: Set<string> | undefined;

/** Loaded on first use: 5,000 frequent leaked passwords of 10+ characters (shorter ones fail the length rule anyway). */
function common(): Set<string> {
  commonPasswords ??= new Set(
    // From the project root, not next to this module: tsc does not copy .txt files into dist/.
    readFileSync(path.join(projectRoot, 'src', 'core', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  return commonPasswords;
}

/** Returns the message key of the first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  context: { email?: string; name?: string } = {},
): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'validation.passwordTooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'validation.passwordTooLong';
  const lower = password.toLowerCase();
  if (common().has(lower)) return 'validation.passwordCommon';
  if (new Set(lower).size < 4) return 'validation.passwordCommon';
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) return 'validation.passwordPersonal';
  return null;
}
