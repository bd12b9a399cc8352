import MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import type { Collection } from 'mongodb';
import { announceChange, sharedCache } from './shared-cache.js';

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
   * Sessions being written or removed by this instance. express-session sends a redirect's headers before
   * its session is saved, so the browser's next request can arrive while the write is in flight: it must
   * see what is being written, not what was read before (after sign-in, that would lack signedInAt and
   * end the new session at once).
   */
  private readonly writing = new Map<string, { value: Stored | null }>();
  /**
   * Each session's writes and removals, one after another: sent at once they could travel on different
   * connections and be applied in the other order, leaving memory and MongoDB disagreeing (a sign-out
   * racing a save could leave the session in memory here while it is gone from the database).
   */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    options: ConstructorParameters<typeof MongoStore>[0],
    private readonly collection: Collection<SessionDoc>,
    private readonly touchAfterMs: number,
  ) {
    super(options);
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const inFlight = this.writing.get(sid);
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

  /** Runs a write of this session once the ones before it have finished. */
  private inTurn(sid: string, write: (done: () => void) => void): void {
    const run = (this.queues.get(sid) ?? Promise.resolve()).then(
      () => new Promise<void>((resolve) => write(resolve)),
    );
    this.queues.set(sid, run);
    void run.then(() => {
      if (this.queues.get(sid) === run) this.queues.delete(sid);
    });
  }

  override set(sid: string, sess: SessionData, callback: Callback = () => {}): void {
    // What connect-mongo stores: the session as JSON, without the lastModified that get() added.
    const write = {
      value: {
        session: JSON.stringify({ ...sess, lastModified: undefined }),
        expires: sess.cookie?.expires ? new Date(sess.cookie.expires) : undefined,
        lastModified: new Date(),
      },
    };
    this.writing.set(sid, write);
    this.inTurn(sid, (done) =>
      super.set(sid, sess, (err) => {
        done();
        this.written(sid, write, err, callback);
      }),
    );
  }

  /** A write or removal has finished: it becomes the cached state, unless a later one is under way. */
  private written(sid: string, write: { value: Stored | null }, err: unknown, callback: Callback): void {
    const latest = this.writing.get(sid) === write;
    if (latest) this.writing.delete(sid);
    if (err) {
      this.cache.forget(sid);
      return callback(err);
    }
    if (latest) {
      if (write.value) this.cache.put(sid, write.value);
      else this.cache.forget(sid);
    }
    // The write has happened: a failed announcement must not turn it into an error page. The other
    // instances then hold their copy until shared-cache's maximum age at most.
    announceChange(SESSIONS_CHANGED).then(
      () => callback(),
      () => callback(),
    );
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
    const removal = { value: null };
    this.writing.set(sid, removal);
    this.inTurn(sid, (done) =>
      super.destroy(sid, (err) => {
        done();
        this.written(sid, removal, err, callback);
      }),
    );
  }
}
