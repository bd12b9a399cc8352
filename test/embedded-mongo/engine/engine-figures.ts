/**
 * Prints in-engine throughput and startup figures (not a test: timings depend on the machine).
 * Run: npx tsx test/embedded-mongo/engine/engine-figures.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEngine } from '../../../src/embedded-mongo/engine/engine.js';

function perSecond(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sabaq-figures-'));
  try {
    let engine = openEngine({ dataDir: dir });
    engine.createIndexes('bench', 'docs', [{ key: { email: 1 }, name: 'email_1', unique: true }]);

    const total = 100_000;
    let t0 = performance.now();
    for (let start = 0; start < total; start += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, i) => ({
        email: `user${start + i}@example.org`,
        name: `User ${start + i}`,
        group: (start + i) % 20,
        score: (start + i) % 100,
      }));
      engine.insert('bench', 'docs', batch, true);
      await engine.whenDurable();
    }
    let ms = performance.now() - t0;
    console.log(`insertMany (10,000 per batch, durable): ${perSecond(total, ms)}`);

    engine.close();
    t0 = performance.now();
    engine = openEngine({ dataDir: dir });
    console.log(
      `startup with ${total.toLocaleString('en')} documents: ${Math.round(performance.now() - t0)} ms`,
    );

    const ids = engine.find('bench', 'docs', { limit: 1000 }).map((d) => d._id as unknown);
    const n = 20_000;
    t0 = performance.now();
    for (let i = 0; i < n; i++) engine.find('bench', 'docs', { filter: { _id: ids[i % ids.length] } });
    console.log(`findById: ${perSecond(n, performance.now() - t0)}`);

    t0 = performance.now();
    for (let i = 0; i < n; i++)
      engine.find('bench', 'docs', { filter: { email: `user${i}@example.org` }, limit: 1 });
    console.log(`indexed findOne: ${perSecond(n, performance.now() - t0)}`);

    t0 = performance.now();
    for (let i = 0; i < n; i++)
      engine.update('bench', 'docs', [{ q: { _id: ids[i % ids.length] }, u: { $inc: { score: 1 } } }], true);
    await engine.whenDurable();
    console.log(`updateOne $inc (memory, one final commit): ${perSecond(n, performance.now() - t0)}`);

    const m = 2_000;
    t0 = performance.now();
    for (let i = 0; i < m; i++) {
      engine.update('bench', 'docs', [{ q: { _id: ids[i % ids.length] }, u: { $inc: { score: 1 } } }], true);
      await engine.whenDurable();
    }
    console.log(
      `updateOne $inc, each awaited durable (synchronous=FULL): ${perSecond(m, performance.now() - t0)}`,
    );

    t0 = performance.now();
    const inserts = 5_000;
    for (let i = 0; i < inserts; i++) engine.insert('bench', 'single', [{ i, at: new Date() }], true);
    await engine.whenDurable();
    console.log(`single inserts (group-committed): ${perSecond(inserts, performance.now() - t0)}`);

    const small = 20_000;
    engine.insert(
      'bench',
      'g',
      Array.from({ length: small }, (_, i) => ({ k: i % 50, v: i })),
      true,
    );
    const times: number[] = [];
    for (let run = 0; run < 6; run++) {
      t0 = performance.now();
      engine.aggregate('bench', 'g', [{ $group: { _id: '$k', total: { $sum: '$v' }, n: { $sum: 1 } } }]);
      times.push(performance.now() - t0);
    }
    ms = times.slice(1).sort((a, b) => a - b)[2]!;
    console.log(
      `$group over ${small.toLocaleString('en')} docs: first ${times[0]!.toFixed(1)} ms, then median ${ms.toFixed(1)} ms`,
    );

    engine.close();
    console.log(`heap used: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
