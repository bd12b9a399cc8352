import { z } from 'zod';
import type { SessionPolicy } from '../core/session.js';

export interface UploadLimits {
  document: number;
  image: number;
  audio: number;
  video: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  document: 50 * 2 ** 20,
  image: 10 * 2 ** 20,
  audio: 100 * 2 ** 20,
  video: 500 * 2 ** 20,
};

/** Environment variables are strings; an empty value counts as unset so `FOO=` in a unit file does not break parsing. */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const booleanish = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const s = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    // A number is a hop count, as Express understands it ("trust N proxies").
    if (/^\d+$/.test(s)) return Number(s);
    ctx.addIssue({ code: 'custom', message: 'expected true, false or a number of proxy hops' });
    return z.NEVER;
  });

const duration = (unit: string, min: number, max: number) =>
  z.coerce
    .number({ message: `expected a whole number of ${unit}` })
    .int({ message: `expected a whole number of ${unit}` })
    .min(min, { message: `expected ${min} to ${max} ${unit}` })
    .max(max, { message: `expected ${min} to ${max} ${unit}` });

export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { message: 'expected development, production or test' })
      .default('development'),
    PORT: z.coerce
      .number({ message: 'expected a port number' })
      .int({ message: 'expected a whole port number' })
      .min(0, { message: 'expected a port between 0 and 65535' })
      .max(65535, { message: 'expected a port between 0 and 65535' })
      .default(3000),
    HOST: optionalString,
    MONGODB_URI: optionalString.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), {
      message: 'expected a mongodb:// or mongodb+srv:// URI',
    }),
    DATA_DIR: optionalString.transform((v) => v ?? './data'),
    UPLOADS_DIR: optionalString.transform((v) => v ?? './uploads'),
    FILE_STORE: z.enum(['disk', 'gridfs'], { message: 'expected disk or gridfs' }).default('disk'),
    SESSION_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'expected at least 32 characters',
    }),
    BASE_URL: optionalString.refine((v) => v === undefined || URL.canParse(v), {
      message: 'expected an absolute URL such as https://sabaq.example.org',
    }),
    TRUST_PROXY: booleanish,
    SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\/[^/]/.test(v), {
      message: 'expected an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.org',
    }),
    MAIL_FROM: optionalString,
    UPLOAD_LIMIT_DOCUMENT_MB: duration('megabytes', 1, 2000).default(50),
    UPLOAD_LIMIT_IMAGE_MB: duration('megabytes', 1, 200).default(10),
    UPLOAD_LIMIT_AUDIO_MB: duration('megabytes', 1, 2000).default(100),
    UPLOAD_LIMIT_VIDEO_MB: duration('megabytes', 1, 4000).default(500),
    SESSION_IDLE_MINUTES: duration('minutes', 1, 24 * 60).default(30),
    SESSION_MAX_HOURS: duration('hours', 1, 24 * 30).default(12),
    SESSION_REMEMBER_DAYS: duration('days', 0, 365).default(30),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
  })
  // Password links must not be built from the request's Host header, which the client chooses, wherever they
  // can reach someone else: in production, and in mail. Development on one machine may go without.
  .superRefine((e, ctx) => {
    // "Keep me signed in" is the longer choice; shorter than an ordinary sign-in it would mislead.
    if (e.SESSION_REMEMBER_DAYS > 0 && e.SESSION_REMEMBER_DAYS * 24 < e.SESSION_MAX_HOURS)
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_REMEMBER_DAYS'],
        message: 'must last at least as long as SESSION_MAX_HOURS (or be 0 to turn the choice off)',
      });
    if (e.BASE_URL !== undefined) return;
    if (e.NODE_ENV === 'production')
      ctx.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'required when NODE_ENV=production' });
    else if (e.SMTP_URL !== undefined)
      ctx.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'required when SMTP_URL is set' });
  });

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string | undefined;
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  readonly uploadsDir: string;
  /** disk: UPLOADS_DIR on this machine; gridfs: in the database, shared by several instances. */
  readonly fileStore: 'disk' | 'gridfs';
  /** Unset: server.ts generates one and keeps it in DATA_DIR. */
  readonly sessionSecret: string | undefined;
  readonly baseUrl: string | undefined;
  readonly trustProxy: boolean | number;
  /** Unset: no mail; password links are only shown on screen. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly logLevel: string;
  readonly session: SessionPolicy;
  /** The largest upload of each kind of course file, in bytes. */
  readonly uploadLimits: UploadLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; the result is frozen so nothing can change settings at run time. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = env[name];
        const shown =
          value === undefined
            ? ''
            : ` (got ${JSON.stringify(name === 'SESSION_SECRET' || name === 'SMTP_URL' ? '***' : value)})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    uploadsDir: e.UPLOADS_DIR,
    fileStore: e.FILE_STORE,
    sessionSecret: e.SESSION_SECRET,
    baseUrl: e.BASE_URL,
    trustProxy: e.TRUST_PROXY ?? false,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'Sabaq <no-reply@localhost>',
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    uploadLimits: Object.freeze({
      document: e.UPLOAD_LIMIT_DOCUMENT_MB * 2 ** 20,
      image: e.UPLOAD_LIMIT_IMAGE_MB * 2 ** 20,
      audio: e.UPLOAD_LIMIT_AUDIO_MB * 2 ** 20,
      video: e.UPLOAD_LIMIT_VIDEO_MB * 2 ** 20,
    }),
    session: Object.freeze({
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.SESSION_MAX_HOURS * 3_600_000,
      rememberMs: e.SESSION_REMEMBER_DAYS * 86_400_000,
    }),
  });
}
