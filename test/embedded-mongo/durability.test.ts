import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { expectServerError, usingRealMongo } from './support/conformance-db.js';
import { spawnStoreProcess, type StoreProcess } from './support/store-process.js';

// It kills the store's process, which only exists for the embedded store; a real MongoDB's durability is
// MongoDB's to prove.
const describeEmbedded = usingRealMongo() ? describe.skip : describe;

describeEmbedded(
  'embedded store durability (skipped with MONGODB_URI: it SIGKILLs the store process)',
  function () {
    this.timeout(90_000);
    let dbpath: string;
    let running: StoreProcess | undefined;

    before(() => {
      dbpath = mkdtempSync(path.join(tmpdir(), 'sabaq-durability-'));
    });

    after(async () => {
      await running?.kill('SIGTERM');
      rmSync(dbpath, { recursive: true, force: true });
    });

    it('after SIGKILL mid-stream, every acknowledged write survives a restart and the unique index still holds', async () => {
      running = await spawnStoreProcess(dbpath);
      const writer = await MongoClient.connect(running.uri, {
        serverSelectionTimeoutMS: 2_000,
        retryWrites: false,
      });
      const items = writer.db('durability').collection('items');
      const counters = writer.db('durability').collection('counters');
      await items.createIndex({ key: 1 }, { unique: true });
      await counters.insertOne({ _id: 'acked', n: 0 } as never);

      const ackedKeys: string[] = [];
      let ackedIncs = 0;
      let attemptedIncs = 0;
      let attemptedInserts = 0;
      let nextKey = 0;
      let stop = false;

      // Eight writers keep several acknowledged writes in flight at every moment of the kill.
      const writerLoop = async () => {
        while (!stop) {
          const key = `k${nextKey++}`;
          attemptedInserts += 1;
          await items.insertOne({ key, body: 'x'.repeat(200) });
          ackedKeys.push(key);
          if (stop) return;
          attemptedIncs += 1;
          await counters.updateOne({ _id: 'acked' } as never, { $inc: { n: 1 } });
          ackedIncs += 1;
        }
      };
      const loops = Array.from({ length: 8 }, () => writerLoop());
      const settled = Promise.allSettled(loops);

      const started = Date.now();
      while (ackedKeys.length < 500 && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const killedProcess = running;
      await killedProcess.kill('SIGKILL');
      stop = true;
      const outcomes = await settled;
      await writer.close(true);

      expect(killedProcess.child.signalCode).to.equal('SIGKILL');
      expect(ackedKeys.length, 'writes acknowledged before the kill').to.be.at.least(100);
      expect(
        outcomes.some((o) => o.status === 'rejected'),
        'some writes were in flight when the store died',
      ).to.equal(true);

      running = await spawnStoreProcess(dbpath);
      const reader = await MongoClient.connect(running.uri);
      try {
        const db = reader.db('durability');
        const found = await db
          .collection('items')
          .find({ key: { $in: ackedKeys } }, { projection: { key: 1 } })
          .toArray();
        const foundKeys = new Set(found.map((d) => d.key as string));
        const lost = ackedKeys.filter((key) => !foundKeys.has(key));
        expect(lost, 'acknowledged inserts lost').to.deep.equal([]);
        const total = await db.collection('items').countDocuments();
        expect(total).to.be.within(ackedKeys.length, attemptedInserts);

        const counter = await db.collection('counters').findOne({ _id: 'acked' } as never);
        expect(counter?.n as number).to.be.within(ackedIncs, attemptedIncs);

        const [firstKey] = ackedKeys;
        await expectServerError(db.collection('items').insertOne({ key: firstKey }), 11000);
        await db.collection('items').insertOne({ key: 'after-restart' });
        expect(await db.collection('items').countDocuments({ key: 'after-restart' })).to.equal(1);
      } finally {
        await reader.close();
      }
    });
  },
);
