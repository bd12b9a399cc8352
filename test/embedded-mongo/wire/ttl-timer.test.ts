import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded store TTL timer', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let client: MongoClient;

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sl-'));
    // MongoDB's TTL monitor runs every 60 s; the knob makes it observable in a test.
    process.env.SABAQ_TTL_INTERVAL_MS = '100';
    try {
      store = await startEmbeddedMongo({ dataDir });
    } finally {
      delete process.env.SABAQ_TTL_INTERVAL_MS;
    }
    client = new MongoClient(store.uri);
  });

  after(async function () {
    await client.close();
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes expired documents on its own, and keeps the ones not yet due', async function () {
    const sessions = client.db('ttl').collection<{ _id: string; expires: Date }>('sessions');
    await sessions.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
    await sessions.insertMany([
      { _id: 'old', expires: new Date(Date.now() - 60_000) },
      { _id: 'fresh', expires: new Date(Date.now() + 3_600_000) },
    ]);
    let left: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      await sleep(100);
      left = await sessions.find({}, { projection: { _id: 1 } }).toArray();
      if (left.length === 1) break;
    }
    expect(left).to.deep.equal([{ _id: 'fresh' }]);
  });
});
