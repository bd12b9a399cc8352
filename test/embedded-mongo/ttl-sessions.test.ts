import { expect } from 'chai';
import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import { MongoClient } from 'mongodb';
import { testStoreUri } from './support/test-store.js';
import { startPrivateStore, usingRealMongo, waitFor, type PrivateStore } from './support/conformance-db.js';

/**
 * MongoDB's TTL monitor runs every 60 s and cannot be hurried, so against a real server these tests wait
 * up to 70 s. The embedded store sweeps on a timer whose period the env knob shortens: these tests start a
 * store of their own with it set, and are fast.
 */
const TTL_KNOB = 'SABAQ_TTL_INTERVAL_MS';
const maxSweepWaitMs = usingRealMongo() ? 70_000 : 5_000;

describe('embedded store conformance: TTL indexes and connect-mongo sessions', function () {
  this.timeout(maxSweepWaitMs + 30_000);
  const dbName = 'conf_ttl';
  let privateStore: PrivateStore | undefined;
  let client: MongoClient;

  before(async () => {
    if (!usingRealMongo()) privateStore = await startPrivateStore({ [TTL_KNOB]: '200' });
    client = await MongoClient.connect(privateStore?.store.uri ?? (await testStoreUri()));
    await client.db(dbName).dropDatabase();
  });

  after(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
    await privateStore?.close();
  });

  it('a TTL index removes documents past expireAfterSeconds and keeps the rest', async () => {
    const coll = client.db(dbName).collection('events');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const [spec] = (await coll.listIndexes().toArray()).filter((i) => i.name === 'at_1');
    expect(spec?.expireAfterSeconds).to.equal(1);
    const now = Date.now();
    await coll.insertMany([
      { _id: 'old', at: new Date(now - 60_000) },
      { _id: 'old-in-array', at: [new Date(now + 3_600_000), new Date(now - 60_000)] },
      { _id: 'future', at: new Date(now + 3_600_000) },
      { _id: 'not-a-date', at: 'yesterday' },
      { _id: 'no-field' },
    ] as never[]);

    const swept = await waitFor(async () => (await coll.countDocuments()) === 3, maxSweepWaitMs, 100);
    expect(swept, 'expired documents removed within the sweep period').to.equal(true);
    const left = (await coll.find().toArray()).map((d) => String(d._id)).sort();
    expect(left).to.deep.equal(['future', 'no-field', 'not-a-date']);
  });

  describe('connect-mongo', () => {
    let store: MongoStore;

    before(() => {
      store = MongoStore.create({
        client,
        dbName,
        collectionName: 'sessions',
        ttl: 3600,
        autoRemove: 'native',
      });
    });

    const call = <T>(run: (done: (err: unknown, value?: T) => void) => void): Promise<T | undefined> =>
      new Promise((resolve, reject) =>
        run((err, value) =>
          err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve(value),
        ),
      );

    const sessionExpiringIn = (ms: number, data: Record<string, unknown>): SessionData => ({
      cookie: { originalMaxAge: ms, expires: new Date(Date.now() + ms), httpOnly: true, path: '/' },
      ...data,
    });

    it('set, get and destroy a session', async () => {
      await call<void>((done) => store.set('sid-1', sessionExpiringIn(60_000, { userId: 'u1' }), done));
      const got = (await call<SessionData | null>((done) => store.get('sid-1', done))) as
        (SessionData & { userId?: string }) | null;
      expect(got?.userId).to.equal('u1');

      // A second set of the same sid is the update connect-mongo sends with $set of the same _id.
      await call<void>((done) => store.set('sid-1', sessionExpiringIn(60_000, { userId: 'u2' }), done));
      const updated = (await call<SessionData | null>((done) => store.get('sid-1', done))) as
        (SessionData & { userId?: string }) | null;
      expect(updated?.userId).to.equal('u2');
      expect(
        await client
          .db(dbName)
          .collection('sessions')
          .countDocuments({ _id: 'sid-1' } as never),
      ).to.equal(1);

      await call<void>((done) => store.destroy('sid-1', done));
      expect(await call<SessionData | null>((done) => store.get('sid-1', done))).to.equal(null);
    });

    it('an expired session is not returned and the TTL sweep deletes it', async () => {
      const sessions = client.db(dbName).collection('sessions');
      await call<void>((done) => store.set('sid-short', sessionExpiringIn(500, { userId: 'brief' }), done));
      await call<void>((done) =>
        store.set('sid-long', sessionExpiringIn(3_600_000, { userId: 'stays' }), done),
      );
      const indexes = await sessions.listIndexes().toArray();
      expect(indexes.some((i) => i.expireAfterSeconds === 0 && i.key.expires === 1)).to.equal(true);

      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await call<SessionData | null>((done) => store.get('sid-short', done))).to.equal(null);

      const gone = await waitFor(
        async () => (await sessions.countDocuments({ _id: 'sid-short' } as never)) === 0,
        maxSweepWaitMs,
        100,
      );
      expect(gone, 'expired session document removed by the TTL sweep').to.equal(true);
      expect(await sessions.countDocuments({ _id: 'sid-long' } as never)).to.equal(1);
    });
  });
});
