import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import { GridFSBucket } from 'mongodb';
import { useConformanceDb } from './support/conformance-db.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('embedded store conformance: GridFS, concurrent updates and transactions', () => {
  const conf = useConformanceDb('conf_gridfs_txn');

  it('a 5 MB file round-trips through GridFSBucket byte for byte', async function () {
    this.timeout(60_000);
    const bucket = new GridFSBucket(conf.db, { bucketName: 'uploads' });
    const original = randomBytes(5 * 1024 * 1024);
    const upload = bucket.openUploadStream('module.pdf', { metadata: { owner: 'trainer-1' } });
    await pipeline(Readable.from([original.subarray(0, 1_000_003), original.subarray(1_000_003)]), upload);

    const [file] = await bucket.find({ _id: upload.id }).toArray();
    expect(file?.length).to.equal(original.length);
    expect(file?.filename).to.equal('module.pdf');
    expect(file?.metadata).to.deep.equal({ owner: 'trainer-1' });
    const chunkCount = await conf.db.collection('uploads.chunks').countDocuments({ files_id: upload.id });
    expect(chunkCount).to.equal(Math.ceil(original.length / (255 * 1024)));

    const parts: Buffer[] = [];
    for await (const part of bucket.openDownloadStream(upload.id)) parts.push(part as Buffer);
    const downloaded = Buffer.concat(parts);
    expect(downloaded.length).to.equal(original.length);
    expect(sha256(downloaded)).to.equal(sha256(original));

    // A ranged read (as for HTTP Range) returns exactly that slice.
    const rangeParts: Buffer[] = [];
    for await (const part of bucket.openDownloadStream(upload.id, { start: 300_000, end: 700_000 })) {
      rangeParts.push(part as Buffer);
    }
    expect(sha256(Buffer.concat(rangeParts))).to.equal(sha256(original.subarray(300_000, 700_000)));

    await bucket.delete(upload.id);
    expect(await bucket.find({ _id: upload.id }).toArray()).to.deep.equal([]);
    expect(await conf.db.collection('uploads.chunks').countDocuments({ files_id: upload.id })).to.equal(0);
  });

  it('50 parallel $inc on one document lose nothing', async () => {
    const coll = conf.db.collection('counter');
    await coll.insertOne({ _id: 'c', n: 0 } as never);
    await Promise.all(
      Array.from({ length: 50 }, () => coll.updateOne({ _id: 'c' } as never, { $inc: { n: 1 } })),
    );
    expect((await coll.findOne({ _id: 'c' } as never))?.n).to.equal(50);
  });

  it('50 parallel upserts on one key create exactly one document', async () => {
    const coll = conf.db.collection('upserts');
    await coll.createIndex({ key: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => coll.updateOne({ key: 'k' }, { $inc: { n: 1 } }, { upsert: true })),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    const docs = await coll.find({ key: 'k' }).toArray();
    expect(docs).to.have.length(1);
    expect(docs[0]?.n).to.equal(succeeded);
  });

  it('two concurrent transactions: the committed one’s writes stay, the aborted one’s vanish', async function () {
    this.timeout(30_000);
    const accounts = conf.db.collection('accounts');
    await accounts.insertMany([
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 100 },
      { _id: 'c', balance: 100 },
    ] as never[]);
    const committing = conf.client.startSession();
    const aborting = conf.client.startSession();
    try {
      const commit = committing.withTransaction(async () => {
        await accounts.updateOne({ _id: 'a' } as never, { $inc: { balance: -30 } }, { session: committing });
        await accounts.updateOne({ _id: 'b' } as never, { $inc: { balance: 30 } }, { session: committing });
        await accounts.insertOne({ _id: 'log-commit', amount: 30 } as never, { session: committing });
        // Inside the transaction, its own writes are visible.
        const inside = await accounts.findOne({ _id: 'a' } as never, { session: committing });
        expect(inside?.balance).to.equal(70);
      });

      const abort = (async () => {
        aborting.startTransaction();
        await accounts.insertOne({ _id: 'log-abort', amount: 999 } as never, { session: aborting });
        // A different account than the committing transaction touches: on a real server two
        // transactions writing one document conflict (WriteConflict) instead of waiting.
        await accounts.updateOne({ _id: 'c' } as never, { $inc: { balance: 999 } }, { session: aborting });
        await aborting.abortTransaction();
      })();

      await Promise.all([commit, abort]);
    } finally {
      await committing.endSession();
      await aborting.endSession();
    }

    const after = await accounts.find().sort({ _id: 1 }).toArray();
    expect(after).to.deep.equal([
      { _id: 'a', balance: 70 },
      { _id: 'b', balance: 130 },
      { _id: 'c', balance: 100 },
      { _id: 'log-commit', amount: 30 },
    ]);
  });

  it('a transaction whose callback throws is rolled back, including inserts into a new collection', async () => {
    const session = conf.client.startSession();
    const fresh = conf.db.collection('txn_fresh');
    const ledger = conf.db.collection('ledger');
    await ledger.insertOne({ _id: 'x', n: 1 } as never);
    try {
      let caught: unknown;
      try {
        await session.withTransaction(async () => {
          await ledger.updateOne({ _id: 'x' } as never, { $set: { n: 2 } }, { session });
          await ledger.deleteOne({ _id: 'x' } as never, { session });
          await fresh.insertOne({ made: true }, { session });
          throw new Error('business rule failed');
        });
      } catch (error) {
        caught = error;
      }
      expect((caught as Error | undefined)?.message).to.equal('business rule failed');
      expect(await ledger.findOne({ _id: 'x' } as never)).to.deep.equal({ _id: 'x', n: 1 });
      expect(await fresh.countDocuments()).to.equal(0);
    } finally {
      await session.endSession();
    }
  });
});
