/**
 * How many database commands one request of each page sends, counted by the MongoDB driver itself
 * (command monitoring) against an app built in this process on the benchmark's own data.
 */
import { signIn } from './sign-in.js';
import { createServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { bindModels, modelsReady } from '../../src/core/models.js';
import { createApp } from '../../src/app.js';
import { loadAssets } from '../../src/core/assets.js';
import { configureMongoose } from '../../src/core/database.js';
import { loadLocaleResources } from '../../src/core/i18n.js';
import { createLogger } from '../../src/core/logger.js';
import { createSessionStore } from '../../src/core/session.js';
import { POLL_MS } from '../../src/core/shared-cache.js';
import { startEmbeddedMongo } from '../../src/embedded-mongo/index.js';
import { diskFileStore } from '../../src/files/disk-file-store.js';
import { makeTempDir } from './bench-report.js';
import type { BenchPaths } from './lesson-fixture.js';

/**
 * Counts on the data the load ran against (its folder, now that the app process has let go of it), as the
 * same member, so the count is that of the pages measured: a member with a completed course and a
 * certificate asks for more than a new one.
 */
export async function countCommandsPerPage(options: {
  dataDir: string;
  member: { email: string; password: string };
  paths: BenchPaths;
}): Promise<Record<string, string[]>> {
  const dir = makeTempDir('sabaq-bench-commands-');
  const store = await startEmbeddedMongo({ dataDir: path.join(options.dataDir, 'db') });
  configureMongoose();
  await mongoose.connect(store.uri, { dbName: 'sabaq', monitorCommands: true });
  bindModels(mongoose.connection);
  await modelsReady();
  const { paths } = options;

  const app = createApp({
    config: { isProduction: true, trustProxy: false, baseUrl: 'http://127.0.0.1', env: 'production' },
    connection: mongoose.connection,
    sessionStore: createSessionStore(mongoose.connection.getClient(), mongoose.connection.name),
    sessionSecret: 'bench-session-secret-bench-session-secret-0123',
    logger: createLogger('silent'),
    locales: loadLocaleResources(),
    assets: await loadAssets(),
    fileStore: diskFileStore(dir.dir + '/uploads'),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const seen: string[] = [];
  const client = mongoose.connection.getClient();
  client.on('commandStarted', (e) => seen.push(`${e.commandName} ${String(e.command[e.commandName])}`));
  const count = async (url: string, cookie = ''): Promise<string[]> => {
    await fetch(url, { headers: { cookie } }); // warm: first use of a template, an index, a connection
    // An instance's first poll of the change counters drops what its caches hold (it cannot know what
    // changed before it started): count after that, as every request after the first second sees it.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 1.5));
    await fetch(url, { headers: { cookie } });
    seen.length = 0;
    await fetch(url, { headers: { cookie } });
    return [...seen];
  };

  try {
    const result: Record<string, string[]> = {};
    result['sign-in page, anonymous'] = await count(`${base}/login`);
    const sid = await signIn(base, options.member);
    result['home page, signed-in member'] = await count(`${base}/`, sid);
    result['lesson page, enrolled member'] = await count(`${base}${paths.lesson}`, sid);
    result['quiz page, enrolled member'] = await count(`${base}${paths.quiz}`, sid);
    result['attempt page, open attempt'] = await count(`${base}${paths.attempt}`, sid);
    return result;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.disconnect();
    await store.stop();
    dir.remove();
  }
}
