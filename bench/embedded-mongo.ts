/**
 * Throughput of the embedded store as the app sees it: one mongoose connection, one request at a time,
 * against a fresh store in a temp dir, plus the restart time with 100,000 documents on disk.
 *
 * Baseline: sequential `ping` commands over the same connection, measured in the same run before and
 * after the operations. A ping does no storage work, so its rate is the transport floor (driver,
 * socket, worker thread, command dispatch); each operation's rate is also printed as a ratio of it,
 * which shows the engine's own cost independently of how fast or loaded the machine is.
 */
import mongoose, { Schema } from 'mongoose';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/embedded-mongo/index.js';
import { makeTempDir, report, sequentialOps, type Verdict } from './support/bench-report.js';

const OPS = 10_000;

const memberSchema = new Schema({
  email: { type: String, required: true, unique: true },
  name: String,
  group: Number,
  score: Number,
  visits: { type: Number, default: 0 },
});

async function main(): Promise<void> {
  const temp = makeTempDir('sabaq-bench-store-');
  const verdicts: Verdict[] = [];
  try {
    let store = await startEmbeddedMongo({ dataDir: temp.dir });
    const conn = await mongoose.createConnection(store.uri, { dbName: 'bench' }).asPromise();
    const Member = conn.model('Member', memberSchema);
    await Member.init();

    const ping = (): Promise<unknown> => conn.db!.command({ ping: 1 });
    // Warm up first: a cold driver and JIT make the first thousands of round trips much slower.
    await sequentialOps(3_000, ping, 3_000);
    const pingBefore = await sequentialOps(OPS, ping, 4_000);

    const doc = (i: number) => ({
      email: `m${i}@example.org`,
      name: `Member ${i}`,
      group: i % 20,
      score: i % 100,
    });

    const insertStart = performance.now();
    await Member.insertMany(Array.from({ length: OPS }, (_, i) => doc(i)));
    const insertDocsPerSec = OPS / ((performance.now() - insertStart) / 1000);
    const base = pingBefore.rate;
    console.log(
      `baseline: ping round trip over the same connection, sequential: ${Math.round(base).toLocaleString('en-US')} ops/s (ratios below are rate / this)`,
    );
    verdicts.push(
      report('insertMany 10,000 docs', insertDocsPerSec, 'docs/s', { atLeast: 10_000, baseline: base }),
    );

    const create = await sequentialOps(OPS, (i) => Member.create(doc(OPS + i)));
    verdicts.push(
      report(`Model.create, sequential (${create.done} ops)`, create.rate, 'ops/s', { baseline: base }),
    );

    const ids = (await Member.find({}, { _id: 1 }).lean()).map((d) => d._id);
    const byId = await sequentialOps(OPS, (i) => Member.findById(ids[(i * 7919) % ids.length]).lean());
    verdicts.push(
      report(`findById (${byId.done} ops)`, byId.rate, 'ops/s', { atLeast: 3_000, baseline: base }),
    );

    const byEmail = await sequentialOps(OPS, (i) =>
      Member.findOne({ email: `m${(i * 7919) % (OPS + create.done)}@example.org` }).lean(),
    );
    verdicts.push(
      report(`findOne on unique indexed field (${byEmail.done} ops)`, byEmail.rate, 'ops/s', {
        atLeast: 3_000,
        baseline: base,
      }),
    );

    const update = await sequentialOps(OPS, (i) =>
      Member.updateOne({ _id: ids[(i * 7919) % ids.length] }, { $inc: { visits: 1 } }),
    );
    verdicts.push(
      report(`updateOne with $inc (${update.done} ops)`, update.rate, 'ops/s', {
        atLeast: 1_500,
        baseline: base,
      }),
    );

    const pipeline = [
      { $group: { _id: '$group', n: { $sum: 1 }, avg: { $avg: '$score' }, visits: { $sum: '$visits' } } },
      { $sort: { _id: 1 as const } },
    ];
    // The sequential creates may have stopped early on a slow machine: top up to 20,000 documents.
    const created = OPS + create.done;
    await Member.insertMany(Array.from({ length: 2 * OPS - created }, (_, k) => doc(created + k)));
    const groupCount = await Member.countDocuments();
    await Member.aggregate(pipeline); // warm-up
    const runs = 20;
    const groupStart = performance.now();
    for (let i = 0; i < runs; i++) await Member.aggregate(pipeline);
    const msPerRun = (performance.now() - groupStart) / runs;
    verdicts.push(report(`$group over ${groupCount.toLocaleString('en-US')} docs`, msPerRun, 'ms/run'));
    verdicts.push(
      report(`$group over ${groupCount.toLocaleString('en-US')} docs`, 1000 / msPerRun, 'runs/s', {
        baseline: base,
      }),
    );
    // Measured again after the work: a baseline that drifted shows the machine's load changed mid-run.
    const pingAfter = await sequentialOps(OPS, ping, 4_000);
    report('baseline ping, before the operations', pingBefore.rate, 'ops/s');
    report('baseline ping, after the operations', pingAfter.rate, 'ops/s', { baseline: base });
    await conn.close();

    // Fill up to 100,000 documents through the plain driver (faster to load), then time a restart.
    const client = await MongoClient.connect(store.uri);
    const raw = client.db('bench').collection('members');
    for (let start = groupCount; start < 100_000; start += 10_000) {
      const end = Math.min(start + 10_000, 100_000);
      await raw.insertMany(
        Array.from({ length: end - start }, (_, k) => ({ ...doc(OPS + start + k), visits: 0 })),
      );
    }
    const total = await raw.countDocuments();
    await client.close();
    await store.stop();

    const restartStart = performance.now();
    store = await startEmbeddedMongo({ dataDir: temp.dir });
    const restartSeconds = (performance.now() - restartStart) / 1000;
    verdicts.push(
      report(`startup with ${total.toLocaleString('en-US')} docs`, restartSeconds, 's', { below: 3 }),
    );
    const check = await MongoClient.connect(store.uri);
    const after = await check.db('bench').collection('members').countDocuments();
    await check.close();
    await store.stop();
    if (after !== total) throw new Error(`restart lost documents: ${total} before, ${after} after`);
  } finally {
    temp.remove();
  }
  const below = verdicts.filter((v) => v === 'BELOW').length;
  console.log(
    below === 0 ? 'embedded-mongo: every target met' : `embedded-mongo: ${below} figure(s) below target`,
  );
}

await main();
