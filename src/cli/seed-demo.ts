/**
 * npm run seed:demo — a demo organisation: an admin and two people of each other role, all with the
 * password printed at the end. Refuses to run on a database that already has users. Courses come later.
 */
import { loadConfig } from '../config/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../core/database.js';
import { claimFirstRun, markFirstRunDone } from '../settings/settings.service.js';
import { anyUserExists, createUser } from '../users/users.service.js';
import type { Role } from '../core/roles.js';

const DEMO_PASSWORD = 'demo password for sabaq';

const people: { email: string; name: string; roles: Role[]; locale: string }[] = [
  { email: 'admin@demo.sabaq', name: 'Demo Admin', roles: ['admin'], locale: 'en' },
  { email: 'coordinator1@demo.sabaq', name: 'مریم احمدی', roles: ['coordinator'], locale: 'fa-AF' },
  { email: 'coordinator2@demo.sabaq', name: 'Farid Noori', roles: ['coordinator', 'trainer'], locale: 'en' },
  { email: 'trainer1@demo.sabaq', name: 'ګل‌احمد یوسفزی', roles: ['trainer'], locale: 'ps-AF' },
  { email: 'trainer2@demo.sabaq', name: 'Sima Rahimi', roles: ['trainer'], locale: 'en' },
  { email: 'member1@demo.sabaq', name: 'زهرا حسینی', roles: ['member'], locale: 'fa-AF' },
  { email: 'member2@demo.sabaq', name: 'ښکلا وردګ', roles: ['member'], locale: 'ps-AF' },
];

const config = loadConfig();
const db = await openDatabase(config, createLogger('warn'));
try {
  if (await anyUserExists()) {
    process.stderr.write('seed:demo: this database already has users; use an empty DATA_DIR or database.\n');
    process.exitCode = 1;
  } else {
    await claimFirstRun('Demo Anti-Trafficking Network');
    for (const p of people) {
      await createUser({
        email: p.email,
        displayName: p.name,
        password: DEMO_PASSWORD,
        roles: p.roles,
        locale: p.locale,
      });
    }
    await markFirstRunDone();
    process.stdout.write(
      `Created ${people.length} demo accounts (${people.map((p) => p.email).join(', ')}), password: "${DEMO_PASSWORD}"\n`,
    );
  }
} finally {
  await db.close();
}
