/**
 * Does a long query on the embedded store stall the app? The store runs in a worker thread, so an HTTP
 * server in the same process should keep answering while a client loops a slow aggregation. Measures the
 * server alone (baseline), then under that load, and prints both and their ratio.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../src/embedded-mongo/index.js';
import { makeTempDir, report } from './support/bench-report.js';

const DURATION_S = 5;
const MIN_AGGREGATION_MS = 50;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** autocannon runs in its own process, so the load generator does not share the server's event loop. */
async function measure(url: string): Promise<{ rps: number; p99: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    autocannonCli,
    '--json',
    '--connections',
    '10',
    '--duration',
    String(DURATION_S),
    url,
  ]);
  const result = JSON.parse(stdout) as autocannon.Result;
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`HTTP errors: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const temp = makeTempDir('sabaq-bench-resp-');
  const store = await startEmbeddedMongo({ dataDir: temp.dir });
  const client = await MongoClient.connect(store.uri);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, at: Date.now() }));
  });
  try {
    const coll = client.db('bench').collection('events');
    const pipeline: Document[] = [
      {
        $addFields: {
          bucket: { $mod: ['$n', 500] },
          label: { $concat: ['$kind', '-', { $toString: '$n' }] },
        },
      },
      {
        $group: {
          _id: '$bucket',
          total: { $sum: '$n' },
          labels: { $addToSet: '$kind' },
          last: { $max: '$label' },
        },
      },
      { $sort: { total: -1 } },
    ];
    // Grow the data until one aggregation takes at least MIN_AGGREGATION_MS on this machine.
    let size = 0;
    let aggregationMs = 0;
    while (aggregationMs < MIN_AGGREGATION_MS && size < 400_000) {
      await coll.insertMany(
        Array.from({ length: 20_000 }, (_, k) => ({ n: size + k, kind: `k${(size + k) % 7}` })),
      );
      size += 20_000;
      const start = performance.now();
      await coll.aggregate(pipeline).toArray();
      aggregationMs = performance.now() - start;
    }
    console.log(
      `aggregation used for load: ${aggregationMs.toFixed(0)} ms over ${size.toLocaleString('en-US')} docs`,
    );

    const url = `http://127.0.0.1:${await listen(server)}/`;
    const baseline = await measure(url);

    let looping = true;
    let aggregations = 0;
    const loop = (async () => {
      while (looping) {
        await coll.aggregate(pipeline).toArray();
        aggregations += 1;
      }
    })();
    const loaded = await measure(url);
    looping = false;
    await loop;

    report('HTTP req/s, baseline', baseline.rps, 'req/s');
    report('HTTP p99 latency, baseline', baseline.p99, 'ms');
    report(`HTTP req/s, during ${aggregations} aggregations`, loaded.rps, 'req/s');
    report('HTTP p99 latency, during aggregations', loaded.p99, 'ms');
    report('req/s ratio loaded / baseline', loaded.rps / baseline.rps, 'x');
    report('p99 ratio loaded / baseline', loaded.p99 / Math.max(baseline.p99, 1), 'x');
    // Were the store on the app's thread, a request arriving during an aggregation would wait for all of it.
    const blocked = loaded.p99 >= aggregationMs / 2;
    console.log(
      `app event loop blocked by store queries: ${blocked ? 'YES' : 'no'} ` +
        `(p99 ${loaded.p99} ms vs ${aggregationMs.toFixed(0)} ms per aggregation)`,
    );
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await client.close();
    await store.stop();
    temp.remove();
  }
}

await main();
