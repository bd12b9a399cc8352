import { randomInt } from 'node:crypto';

/**
 * Certificate codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U/V), so a code
 * read off paper or over the phone is typed right; 29¹² ≈ 3·10¹⁷ codes cannot be guessed one by one
 * through a rate-limited page. Shown in groups of four; typed in any case, with or without the dashes.
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const CODE_LENGTH = 12;

export function newCertificateCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** The code as stored, from what someone typed or scanned; null when it cannot be a code. */
export function normaliseCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

export const formatCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1-');
