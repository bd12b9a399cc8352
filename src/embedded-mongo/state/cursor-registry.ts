import { randomBytes } from 'node:crypto';
import { BSON, Long, type Document } from 'bson';
import { ErrorCodes, MongoCommandError } from '../errors.js';
import { MAX_BSON_OBJECT_SIZE } from '../wire/protocol.js';

/** Batches stop before this many bytes of documents so the reply stays under maxBsonObjectSize. */
const BATCH_BYTE_LIMIT = MAX_BSON_OBJECT_SIZE - 64 * 1024;
export const DEFAULT_FIRST_BATCH = 101;

interface Cursor {
  id: Long;
  ns: string;
  docs: Document[];
  pos: number;
  connectionId: number;
  sessionKey: string | undefined;
  lastUsed: number;
  /** Set when the collection under the cursor went away: the next getMore reports why, then forgets it. */
  killedBecause?: string;
}

/**
 * Open cursors. The engine hands back whole result arrays (documents it never mutates), so a cursor is
 * just a position in that array. A cursor belongs to the connection that opened it (closed with it) and,
 * when opened in a session, may only be continued from that session.
 */
export class CursorRegistry {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly idleTimeoutMs: number) {}

  get size(): number {
    return this.cursors.size;
  }

  /** Takes the first batch; opens a cursor only when documents remain. */
  open(
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    singleBatch: boolean,
    connectionId: number,
    sessionKey: string | undefined,
  ): { firstBatch: Document[]; id: Long } {
    const firstBatch = takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || firstBatch.length >= docs.length) return { firstBatch, id: Long.ZERO };
    const id = newCursorId();
    this.cursors.set(id.toString(), {
      id,
      ns,
      docs,
      pos: firstBatch.length,
      connectionId,
      sessionKey,
      lastUsed: Date.now(),
    });
    return { firstBatch, id };
  }

  next(
    id: Long,
    batchSize: number | undefined,
    sessionKey: string | undefined,
    ns?: string,
  ): { nextBatch: Document[]; id: Long; ns: string } {
    const cursor = this.cursors.get(id.toString());
    if (!cursor)
      throw new MongoCommandError(ErrorCodes.CursorNotFound, `cursor id ${id.toString()} not found`);
    if (cursor.killedBecause !== undefined) {
      this.cursors.delete(id.toString());
      throw new MongoCommandError(
        ErrorCodes.QueryPlanKilled,
        `Executor error during getMore :: caused by :: ${cursor.killedBecause}`,
      );
    }
    // As MongoDB: a cursor is continued only on the namespace it was opened on.
    if (ns !== undefined && ns !== cursor.ns) {
      throw new MongoCommandError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    if (cursor.sessionKey !== undefined && cursor.sessionKey !== sessionKey) {
      throw new MongoCommandError(
        ErrorCodes.Unauthorized,
        `Cannot run getMore on cursor ${id.toString()}, which was created in a different session`,
      );
    }
    const nextBatch = takeBatch(cursor.docs, cursor.pos, batchSize && batchSize > 0 ? batchSize : Infinity);
    cursor.pos += nextBatch.length;
    cursor.lastUsed = Date.now();
    if (cursor.pos >= cursor.docs.length) {
      this.cursors.delete(id.toString());
      return { nextBatch, id: Long.ZERO, ns: cursor.ns };
    }
    return { nextBatch, id: cursor.id, ns: cursor.ns };
  }

  kill(id: Long): boolean {
    return this.cursors.delete(id.toString());
  }

  killConnection(connectionId: number): void {
    for (const [key, cursor] of this.cursors) {
      if (cursor.connectionId === connectionId) this.cursors.delete(key);
    }
  }

  killSession(sessionKey: string): void {
    for (const [key, cursor] of this.cursors) {
      if (cursor.sessionKey === sessionKey) this.cursors.delete(key);
    }
  }

  /**
   * Ends the cursors reading a namespace that was dropped or renamed (`db.` prefix: a whole database).
   * Without this a getMore kept serving the dropped collection's documents as if it still existed;
   * MongoDB answers QueryPlanKilled (175) instead. Idle reaping still removes them if never continued.
   */
  killNamespace(ns: string, reason: string): void {
    for (const cursor of this.cursors.values()) {
      if (ns.endsWith('.') ? cursor.ns.startsWith(ns) : cursor.ns === ns) cursor.killedBecause = reason;
    }
  }

  killAll(): void {
    this.cursors.clear();
  }

  /** Closes cursors left idle longer than the timeout (a client that died or forgot them). */
  reapIdle(now = Date.now()): number {
    let reaped = 0;
    for (const [key, cursor] of this.cursors) {
      if (now - cursor.lastUsed >= this.idleTimeoutMs) {
        this.cursors.delete(key);
        reaped++;
      }
    }
    return reaped;
  }
}

function newCursorId(): Long {
  for (;;) {
    const bytes = randomBytes(8);
    bytes[7]! &= 0x7f; // positive, as MongoDB's ids are
    const id = Long.fromBytesLE([...bytes]);
    if (!id.isZero()) return id;
  }
}

function takeBatch(docs: Document[], from: number, max: number): Document[] {
  const end = Math.min(docs.length, from + max);
  let bytes = 0;
  let i = from;
  for (; i < end; i++) {
    bytes += BSON.calculateObjectSize(docs[i]!);
    // Always send at least one document, else a client could never make progress.
    if (bytes > BATCH_BYTE_LIMIT && i > from) break;
  }
  return docs.slice(from, i);
}
