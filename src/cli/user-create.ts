/**
 * npm run user:create -- --email a@b.org --name "Name" --role coordinator [--role trainer]
 * The password is read from a hidden prompt, or from standard input when it is piped, never from the command
 * line (where it would end up in shell history and the process list).
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../core/database.js';
import { ValidationError } from '../core/app-error.js';
import { ROLES } from '../core/roles.js';
import { anyUserExists, createUser } from '../users/users.service.js';
import { createI18n } from '../core/i18n.js';

const argsSchema = z.object({
  email: z.email({ message: 'expected a valid email address, e.g. --email name@example.org' }),
  name: z
    .string({ message: 'expected --name "Full Name"' })
    .trim()
    .min(1, { message: 'expected --name "Full Name"' }),
  role: z
    .array(z.enum(ROLES, { message: `expected --role with one of: ${ROLES.join(', ')}` }))
    .min(1, { message: 'expected at least one --role' }),
});

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.replace(/\r?\n$/, '');
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing while the password is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(question)) process.stdout.write(question);
      };
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`user:create: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const parsed = argsSchema.safeParse({ ...values, role: values.role ?? ['member'] });
  if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('\n'), 2);

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 78);
    throw err;
  }
  const password = await readPassword().catch((err: Error) => fail(err.message));
  const logger = createLogger('warn');
  const db = await openDatabase(config, logger);
  const t = createI18n().getFixedT('en');
  try {
    // The first account ends first-run setup (/setup is gone once anyone exists), so it must be someone
    // who can then change roles and settings.
    if (!parsed.data.role.includes('admin') && !(await anyUserExists())) {
      process.exitCode = 1;
      process.stderr.write(
        'user:create: this database has no account yet, and the first one must be an admin: use --role admin, ' +
          'or open the app in a browser and complete /setup.\n',
      );
      return;
    }
    const user = await createUser({
      email: parsed.data.email,
      displayName: parsed.data.name,
      password,
      roles: parsed.data.role,
    });
    process.stdout.write(`Created ${user.email} (${user.roles.join(', ')})\n`);
  } catch (err) {
    if (err instanceof ValidationError) {
      process.exitCode = 1;
      process.stderr.write(`user:create: ${err.field}: ${t(err.message)}\n`);
    } else throw err;
  } finally {
    await db.close();
  }
}

await main();
