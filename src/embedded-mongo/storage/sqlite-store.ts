import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BSON, type Document } from 'bson';
import { decodeDocument } from '../bson/decode-document.js';
import { encodeKey } from '../bson/value-keys.js';

/**
 * Durable storage: one SQLite file (WAL) holding collection metadata and BSON documents keyed by
 * (namespace, encoded _id). The engine keeps everything in memory and hands this store batches of
 * changes to commit in one SQLite transaction (group commit).
 */

/** 2: documents whose _id is a document are keyed by its unambiguous encoding (version 1's could collide). */
export const FORMAT_VERSION = 2;
export const DB_FILE = 'sabaq-store.sqlite';

export type DiskOp =
  | { k: 'put'; ns: string; id: string; bson: Uint8Array }
  | { k: 'del'; ns: string; id: string }
  | { k: 'meta'; ns: string; db: string; name: string; options: Document; indexes: Document[] }
  | { k: 'dropNs'; ns: string }
  | { k: 'renameNs'; from: string; to: string; db: string; name: string };

export interface StoredCollection {
  db: string;
  name: string;
  options: Document;
  indexes: Document[];
}

/** Another live store process owns the data folder. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `the data folder ${dataDir} is in use by another running store process; stop it first, or connect to it instead`,
    );
    this.name = 'DataDirInUseError';
  }
}

export class SqliteStore {
  private readonly db: Database.Database;
  private readonly stmts: {
    put: Database.Statement;
    del: Database.Statement;
    meta: Database.Statement;
    dropDocs: Database.Statement;
    dropMeta: Database.Statement;
    renameDocs: Database.Statement;
    renameMeta: Database.Statement;
  };
  private readonly commitBatch: (ops: DiskOp[]) => void;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dataDir, 0o700);
    const file = path.join(dataDir, DB_FILE);
    // Created owner-only before SQLite opens it; SQLite gives its -wal/-shm files the same mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
    // No busy wait: the lock below is either free or held by a live store, and waiting cannot help.
    this.db = new Database(file, { timeout: 0 });
    try {
      // Single owner: in exclusive mode SQLite keeps its lock on the file until the connection
      // closes, and the kernel drops it when the process dies (even by SIGKILL), so a crashed store
      // never blocks the next start. Taken before anything is read, so a second store touches nothing.
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir);
      throw err;
    }
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > FORMAT_VERSION) {
      this.db.close();
      throw new Error(
        `The data file ${file} has format version ${version}, newer than this program supports (${FORMAT_VERSION}). Upgrade the program.`,
      );
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (
        ns TEXT PRIMARY KEY, db TEXT NOT NULL, name TEXT NOT NULL, spec BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS documents (
        ns TEXT NOT NULL, id TEXT NOT NULL, doc BLOB NOT NULL, PRIMARY KEY (ns, id)
      ) WITHOUT ROWID;
    `);
    if (version === 1) this.rekeyDocumentIds();
    if (version < FORMAT_VERSION) this.db.pragma(`user_version = ${FORMAT_VERSION}`);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
    }
    this.stmts = {
      put: this.db.prepare('INSERT OR REPLACE INTO documents (ns, id, doc) VALUES (?, ?, ?)'),
      del: this.db.prepare('DELETE FROM documents WHERE ns = ? AND id = ?'),
      meta: this.db.prepare('INSERT OR REPLACE INTO collections (ns, db, name, spec) VALUES (?, ?, ?, ?)'),
      dropDocs: this.db.prepare('DELETE FROM documents WHERE ns = ?'),
      dropMeta: this.db.prepare('DELETE FROM collections WHERE ns = ?'),
      renameDocs: this.db.prepare('UPDATE documents SET ns = ? WHERE ns = ?'),
      renameMeta: this.db.prepare('UPDATE collections SET ns = ?, db = ?, name = ? WHERE ns = ?'),
    };
    this.commitBatch = this.db.transaction((ops: DiskOp[]) => {
      for (const op of ops) this.apply(op);
    });
  }

  /**
   * Version 1 keyed a document whose _id is a document (or, never valid, an array) by an encoding that
   * two different ids could share; such rows get the current key, in one transaction.
   */
  private rekeyDocumentIds(): void {
    const rows = this.db
      .prepare("SELECT ns, id, doc FROM documents WHERE substr(id, 1, 1) IN ('O', 'A')")
      .raw(true)
      .all() as [string, string, Buffer][];
    const update = this.db.prepare('UPDATE documents SET id = ? WHERE ns = ? AND id = ?');
    this.db.transaction(() => {
      for (const [ns, id, doc] of rows) {
        const key = encodeKey(decodeDocument(doc)._id);
        if (key !== id) update.run(key, ns, id);
      }
    })();
  }

  private apply(op: DiskOp): void {
    const s = this.stmts;
    switch (op.k) {
      case 'put':
        s.put.run(op.ns, op.id, op.bson);
        break;
      case 'del':
        s.del.run(op.ns, op.id);
        break;
      case 'meta':
        s.meta.run(op.ns, op.db, op.name, BSON.serialize({ options: op.options, indexes: op.indexes }));
        break;
      case 'dropNs':
        s.dropDocs.run(op.ns);
        s.dropMeta.run(op.ns);
        break;
      case 'renameNs':
        s.dropDocs.run(op.to);
        s.dropMeta.run(op.to);
        s.renameDocs.run(op.to, op.from);
        s.renameMeta.run(op.to, op.db, op.name, op.from);
        break;
    }
  }

  /** Commits the batch atomically (one SQLite transaction, fsync'd with synchronous=FULL). */
  commit(ops: DiskOp[]): void {
    if (ops.length > 0) this.commitBatch(ops);
  }

  loadCollections(): (StoredCollection & { ns: string })[] {
    const rows = this.db.prepare('SELECT ns, db, name, spec FROM collections').all() as {
      ns: string;
      db: string;
      name: string;
      spec: Buffer;
    }[];
    return rows.map((r) => {
      const spec = decodeDocument(r.spec);
      return {
        ns: r.ns,
        db: r.db,
        name: r.name,
        options: spec.options as Document,
        indexes: spec.indexes as Document[],
      };
    });
  }

  /** Calls back with every stored document, grouped by namespace. */
  loadDocuments(onDoc: (ns: string, doc: Document) => void): void {
    const stmt = this.db.prepare('SELECT ns, doc FROM documents').raw(true);
    for (const row of stmt.iterate() as IterableIterator<[string, Buffer]>) {
      onDoc(row[0], decodeDocument(row[1]));
    }
  }

  close(): void {
    this.db.close();
  }
}
