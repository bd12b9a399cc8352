import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import type { Collection, MongoClient } from 'mongodb';
import { sharedCache, signalWritten } from './shared-cache.js';

/** A stored session as connect-mongo writes it. */
interface SessionDoc {
  _id: string;
  /** The session as JSON (connect-mongo's default serialisation). */
  session: string;
  expires?: Date;
  lastModified?: Date;
}

type Stored = Omit<SessionDoc, '_id'>;
type Callback<T = void> = (err?: unknown, value?: T) => void;
type WithLastModified = SessionData & { lastModified?: Date };

export const SESSIONS_CHANGED = 'sessions';

/**
 * connect-mongo, with the sessions this instance has read or written kept in memory: a signed-in page no
 * longer waits for a session read, the one store round trip every request made. It stays honest:
 * - writes go to MongoDB first and then into memory (write-through), so this instance never serves an
 *   older session than the one stored;
 * - a session written or ended here is announced to the other instances (shared-cache's change signal),
 *   which drop their cached sessions within a poll (about a second), so a sign-out on one instance ends
 *   the session on all;
 * - an entry is served only until the stored expiry it mirrors (moved forward by each touch), and for at
 *   most shared-cache's maximum age;
 * - who the person is, their roles and whether their account is active are not in the session (only
 *   their id and session generation are): those come from the user cache, signalled on every change.
 */
export class CachedMongoStore extends MongoStore {
  private readonly cache = sharedCache<Stored | null>(SESSIONS_CHANGED);
  /**
   * The last write or removal of each session sent by this instance and not yet finished. express-session
   * sends a redirect's headers before its session is saved, so the browser's next request can arrive while
   * the write is in flight: it must see what is being written, not what was read before (after sign-in,
   * that would lack signedInAt and end the new session at once). Each write waits for the one before it
   * (`done`): sent at once they could travel on different connections and be applied in the other order,
   * leaving memory and MongoDB disagreeing.
   */
  private readonly pending = new Map<string, { value: Stored | null; done: Promise<void> }>();
  private readonly collection: Collection<SessionDoc>;
  private readonly touchAfterMs: number;

  constructor(
    options: ConstructorParameters<typeof MongoStore>[0] & {
      client: MongoClient;
      dbName: string;
      collectionName: string;
      touchAfter: number;
    },
  ) {
    super(options);
    this.collection = options.client.db(options.dbName).collection(options.collectionName);
    this.touchAfterMs = options.touchAfter * 1000;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const inFlight = this.pending.get(sid);
    (inFlight
      ? Promise.resolve(inFlight.value)
      : this.cache.get(sid, () =>
          this.collection.findOne(
            { _id: sid, $or: [{ expires: { $exists: false } }, { expires: { $gt: new Date() } }] },
            { projection: { _id: 0, session: 1, expires: 1, lastModified: 1 } },
          ),
        )
    )
      .then((stored) => {
        if (!stored || (stored.expires && stored.expires.getTime() <= Date.now())) return null;
        const sess = JSON.parse(stored.session) as WithLastModified;
        // connect-mongo's touch compares against this to skip writes within touchAfter.
        if (stored.lastModified) sess.lastModified = stored.lastModified;
        return sess;
      })
      // Outside the promise: an exception in express-session's callback must not be taken for ours.
      .then(
        (sess) => process.nextTick(callback, null, sess),
        (err: unknown) => process.nextTick(callback, err),
      );
  }

  /** Sends a write of this session (`value`: what it leaves) once the one before it has finished. */
  private inTurn(
    sid: string,
    value: Stored | null,
    send: (finished: (err: unknown) => void) => void,
    callback: Callback,
  ): void {
    const before = this.pending.get(sid)?.done ?? Promise.resolve();
    const write = {
      value,
      done: before.then(
        () =>
          new Promise<void>((resolve) =>
            send((err) => {
              this.written(sid, write, err, callback);
              resolve();
            }),
          ),
      ),
    };
    this.pending.set(sid, write);
  }

  override set(sid: string, sess: SessionData, callback: Callback = () => {}): void {
    // What connect-mongo stores: the session as JSON, without the lastModified that get() added.
    const value = {
      session: JSON.stringify({ ...sess, lastModified: undefined }),
      expires: sess.cookie?.expires ? new Date(sess.cookie.expires) : undefined,
      lastModified: new Date(),
    };
    this.inTurn(sid, value, (finished) => super.set(sid, sess, finished), callback);
  }

  /** A write or removal has finished: it becomes the cached state, unless a later one is under way. */
  private written(sid: string, write: { value: Stored | null }, err: unknown, callback: Callback): void {
    const latest = this.pending.get(sid) === write;
    if (latest) this.pending.delete(sid);
    if (err) {
      this.cache.forget(sid);
      return callback(err);
    }
    if (latest) {
      if (write.value) this.cache.put(sid, write.value);
      else this.cache.forget(sid);
    }
    void signalWritten(SESSIONS_CHANGED, { announceOnly: true }).then(() => callback());
  }

  override touch(sid: string, sess: SessionData, callback: Callback = () => {}): void {
    const lastModified = (sess as WithLastModified).lastModified?.getTime() ?? 0;
    const writes = !(lastModified > 0 && Date.now() - lastModified < this.touchAfterMs);
    super.touch(sid, sess, (err) => {
      if (err) return callback(err);
      const stored = writes ? this.cache.peek(sid) : undefined;
      if (stored)
        this.cache.put(sid, {
          ...stored,
          expires: sess.cookie?.expires ? new Date(sess.cookie.expires) : stored.expires,
          lastModified: new Date(),
        });
      callback();
    });
  }

  override destroy(sid: string, callback: Callback = () => {}): void {
    this.inTurn(sid, null, (finished) => super.destroy(sid, finished), callback);
  }
}
