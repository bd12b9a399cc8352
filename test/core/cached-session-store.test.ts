/**
 * The session store keeps sessions in memory; these are the ways that could go wrong: an answer older than
 * a write under way, a session served past its stored expiry, a failed write left in memory.
 */
import { expect } from 'chai';
import type { SessionData } from 'express-session';
import mongoose from 'mongoose';
import { createSessionStore } from '../../src/core/session.js';
import { SESSIONS_CHANGED } from '../../src/core/cached-session-store.js';
import { POLL_MS } from '../../src/core/shared-cache.js';
import { connectTestDb } from '../helpers/app-harness.js';

type Store = ReturnType<typeof createSessionStore>;

const get = (store: Store, sid: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) =>
    store.get(sid, (err, s) => (err ? reject(err as Error) : resolve(s))),
  );
const set = (store: Store, sid: string, sess: SessionData) =>
  new Promise<void>((resolve, reject) =>
    store.set(sid, sess, (err) => (err ? reject(err as Error) : resolve())),
  );
const destroy = (store: Store, sid: string) =>
  new Promise<void>((resolve, reject) =>
    store.destroy(sid, (err) => (err ? reject(err as Error) : resolve())),
  );

function session(expiresInMs: number, extra: Partial<SessionData> = {}): SessionData {
  const expires = new Date(Date.now() + expiresInMs);
  return {
    cookie: { originalMaxAge: expiresInMs, expires, httpOnly: true, path: '/' },
    ...extra,
  };
}

describe('the session store’s memory', () => {
  let store: Store;
  before(async () => {
    await connectTestDb();
    store = createSessionStore(mongoose.connection.getClient(), mongoose.connection.name);
  });

  it('a read while a write is under way sees what is being written (a redirect arrives before its save ends)', async () => {
    await set(store, 'sid-race', session(60_000, { signedInAt: 1 }));
    expect((await get(store, 'sid-race'))?.signedInAt).to.equal(1);
    const saving = set(store, 'sid-race', session(60_000, { signedInAt: 2 }));
    const during = await get(store, 'sid-race');
    await saving;
    expect(during?.signedInAt, 'read during the write').to.equal(2);
    expect((await get(store, 'sid-race'))?.signedInAt, 'read after').to.equal(2);
  });

  it('a read while a removal is under way finds no session, and none comes back', async () => {
    await set(store, 'sid-gone', session(60_000, { signedInAt: 1 }));
    const removing = destroy(store, 'sid-gone');
    expect(await get(store, 'sid-gone')).to.equal(null);
    await removing;
    expect(await get(store, 'sid-gone')).to.equal(null);
    expect(
      await mongoose.connection.db!.collection('sessions').countDocuments({ _id: 'sid-gone' } as object),
    ).to.equal(0);
  });

  it('a session is never served from memory after its stored expiry', async () => {
    await set(store, 'sid-expiring', session(150, { signedInAt: 1 }));
    expect(await get(store, 'sid-expiring')).to.not.equal(null);
    await new Promise((r) => setTimeout(r, 250));
    expect(await get(store, 'sid-expiring')).to.equal(null);
  });

  it('a write that fails leaves nothing in memory that the database does not hold', async () => {
    await set(store, 'sid-fail', session(60_000, { signedInAt: 1 }));
    // A session the database refuses: larger than a document may be (16 MB).
    const tooLarge = { ...session(60_000, { signedInAt: 2 }), filler: 'x'.repeat(17 * 1024 * 1024) };
    const outcome = await set(store, 'sid-fail', tooLarge as SessionData).then(
      () => 'stored',
      () => 'refused',
    );
    expect(outcome).to.equal('refused');
    expect((await get(store, 'sid-fail'))?.signedInAt).to.equal(1);
  });

  it('a save and a sign-out sent together are applied in the order sent, in memory and in the database', async () => {
    const stored = mongoose.connection.db!.collection('sessions');
    for (let round = 0; round < 10; round += 1) {
      const sid = `sid-order-${round}`;
      await set(store, sid, session(60_000, { signedInAt: 1 }));
      await Promise.all([set(store, sid, session(60_000, { signedInAt: 2 })), destroy(store, sid)]);
      expect(await get(store, sid), `round ${round}: memory`).to.equal(null);
      expect(await stored.countDocuments({ _id: sid } as object), `round ${round}: database`).to.equal(0);
    }
  });

  for (const ownWrite of [false, true])
    it(`a sign-out on another instance ends the session here within a poll${ownWrite ? ', though this instance wrote a session meanwhile' : ''}`, async () => {
      await set(store, 'sid-elsewhere', session(600_000, { signedInAt: 1 }));
      await new Promise((r) => setTimeout(r, POLL_MS + 300)); // this instance has polled the counter
      expect(await get(store, 'sid-elsewhere')).to.not.equal(null);
      // The other instance removes it and moves the counter, as its store does.
      const db = mongoose.connection.db!;
      await db.collection('sessions').deleteOne({ _id: 'sid-elsewhere' } as object);
      await db
        .collection('changes')
        .updateOne({ _id: SESSIONS_CHANGED } as object, { $inc: { v: 1 } }, { upsert: true });
      // This instance's own write moves the counter once more before its next poll: that must not hide
      // the other instance's change.
      if (ownWrite) await set(store, 'sid-other', session(600_000, { signedInAt: 2 }));
      await new Promise((r) => setTimeout(r, POLL_MS + 500));
      expect(await get(store, 'sid-elsewhere')).to.equal(null);
    });
});
