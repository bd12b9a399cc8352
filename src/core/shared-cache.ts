import mongoose from 'mongoose';
import { boundConnection } from './models.js';

/**
 * Small in-memory caches for data that is read on every page and rarely changes (the signed-in person,
 * the organisation's settings), kept honest across several app instances: a change on any instance
 * bumps a counter in the database (collection `changes`), and every instance polls those counters once a
 * second and drops a cache whose counter moved. So a change takes effect at once on the instance that
 * made it, and within about a second (POLL_MS) on the others. If the database cannot be polled, every
 * cache is dropped rather than trusted.
 */
export const POLL_MS = 1000;
/** Even without a signal, nothing is served from memory for longer than this. */
const MAX_AGE_MS = 30_000;

type Kind = string;

interface ChangesDoc {
  _id: string;
  v: number;
}

const seen = new Map<Kind, number>();
const droppers = new Map<Kind, Set<() => void>>();
let timer: NodeJS.Timeout | undefined;

function dropAll(kind?: Kind): void {
  for (const [k, set] of droppers) if (kind === undefined || k === kind) for (const drop of set) drop();
}

async function poll(): Promise<void> {
  const connection = boundConnection();
  const db = connection?.db;
  if (connection?.readyState !== mongoose.ConnectionStates.connected || !db) return dropAll();
  try {
    const docs = await db.collection<ChangesDoc>('changes').find({}).toArray();
    for (const doc of docs) {
      if (seen.get(doc._id) !== doc.v) dropAll(doc._id);
      seen.set(doc._id, doc.v);
    }
  } catch {
    dropAll();
  }
}

function startPolling(): void {
  if (timer) return;
  timer = setInterval(() => void poll(), POLL_MS);
  // The poller must not keep a process alive that has finished its work (a CLI, a test run).
  timer.unref();
}

/** Says that data of this kind changed: dropped here at once, and on other instances at their next poll. */
export async function signalChange(kind: Kind): Promise<void> {
  dropAll(kind);
  await announceChange(kind);
}

/**
 * Tells the other instances that data of this kind changed, for a change this instance has already put
 * into its own caches entry by entry (a session written or ended): they drop theirs at their next poll.
 */
export async function announceChange(kind: Kind): Promise<void> {
  const db = boundConnection()?.db;
  if (!db) return;
  const after = await db
    .collection<ChangesDoc>('changes')
    .findOneAndUpdate({ _id: kind }, { $inc: { v: 1 } }, { upsert: true, returnDocument: 'after' });
  // Only our own step is known to be ours: if another instance moved the counter since the last poll,
  // recording its value here would hide that change from the poll, which must still drop for it.
  if (after && seen.get(kind) === after.v - 1) seen.set(kind, after.v);
}

/**
 * For a change already written: signals it (with `announceOnly`, only tells the other instances, for a
 * change this instance has put into its own caches) and never fails. The write has happened, so a failed
 * announcement must not turn it into an error; the other instances then keep their copy for MAX_AGE_MS
 * at most.
 */
export async function signalWritten(kind: Kind, options: { announceOnly?: boolean } = {}): Promise<void> {
  await (options.announceOnly ? announceChange(kind) : signalChange(kind)).catch(() => undefined);
}

/**
 * Says that data of every kind may have changed (after a restore, or when a test empties the database).
 */
export async function signalEverythingChanged(): Promise<void> {
  await Promise.all([...droppers.keys()].map((kind) => signalChange(kind)));
}

export interface SharedCache<V> {
  /** The cached value, or `load()`'s (kept unless a change arrived while it was loading). */
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** The cached value if there is a fresh one; reads nothing. */
  peek(key: string): V | undefined;
  /** This instance has just written the value itself (a write-through cache). */
  put(key: string, value: V): void;
  /** This instance has just removed the value itself. */
  forget(key: string): void;
}

/** Above this many entries the oldest are dropped, so a cache keyed by something people create stays small. */
const MAX_ENTRIES = 20_000;

export function sharedCache<V>(kind: Kind): SharedCache<V> {
  const entries = new Map<string, { value: V; at: number }>();
  // Bumped by every drop: a load that started before a drop must not store what it read.
  let epoch = 0;
  /**
   * Loads under way, by key. A room of members opening the same quiz at once finds it cold together:
   * they wait for one read instead of each sending their own. A load begun before a drop is not joined.
   */
  const loading = new Map<string, { promise: Promise<V>; epoch: number }>();
  const drop = () => {
    epoch += 1;
    entries.clear();
  };
  let set = droppers.get(kind);
  if (!set) droppers.set(kind, (set = new Set()));
  set.add(drop);
  const fresh = (key: string) => {
    const hit = entries.get(key);
    return hit && Date.now() - hit.at < MAX_AGE_MS ? hit : undefined;
  };
  const store = (key: string, value: V) => {
    entries.delete(key);
    entries.set(key, { value, at: Date.now() });
    // A Map iterates in insertion order, and storing re-inserts: the first key is the oldest.
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  };
  return {
    async get(key, load) {
      startPolling();
      const hit = fresh(key);
      if (hit) return hit.value;
      const under = loading.get(key);
      if (under && under.epoch === epoch) return under.promise;
      const started = epoch;
      const promise = load().then((value) => {
        if (epoch === started) store(key, value);
        return value;
      });
      loading.set(key, { promise, epoch: started });
      const done = () => {
        if (loading.get(key)?.promise === promise) loading.delete(key);
      };
      promise.then(done, done);
      return promise;
    },
    peek(key) {
      return fresh(key)?.value;
    },
    put(key, value) {
      startPolling();
      // A load of this key that began before the write must not put back what it read.
      epoch += 1;
      store(key, value);
    },
    forget(key) {
      epoch += 1;
      entries.delete(key);
    },
  };
}
