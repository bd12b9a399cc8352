/**
 * OP_MSG as the wire protocol specifies it: flag bits, body and document-sequence sections. Every
 * malformed message gets an error reply on a connection that stays usable, never a silently
 * half-read command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BSON, type Document } from 'bson';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { header, OP_MSG, opQuery, RawClient, socketPathOf } from './raw-client.js';

const body = (doc: Document): Buffer => Buffer.concat([Buffer.from([0]), Buffer.from(BSON.serialize(doc))]);

function sequence(name: string, docs: Document[]): Buffer {
  const payload = Buffer.concat([
    Buffer.from(`${name}\0`),
    ...docs.map((d) => Buffer.from(BSON.serialize(d))),
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(payload.length + 4, 0);
  return Buffer.concat([Buffer.from([1]), size, payload]);
}

function message(requestId: number, flags: number, sections: Buffer[]): Buffer {
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  const rest = Buffer.concat([flagBytes, ...sections]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

describe('embedded store wire protocol: OP_MSG sections and flags', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let c: RawClient;

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sw-'));
    store = await startEmbeddedMongo({ dataDir });
  });

  beforeEach(async function () {
    c = await RawClient.connect(socketPathOf(store.uri));
  });

  afterEach(async function () {
    await c.close();
  });

  after(async function () {
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends the bytes, expects an error reply to them, then a working ping on the same connection. */
  async function refused(bytes: Buffer, requestId: number): Promise<Document> {
    c.send(bytes);
    const reply = await c.nextReply();
    expect(reply.responseTo).to.equal(requestId);
    expect(reply.doc.ok, JSON.stringify(reply.doc)).to.equal(0);
    expect(await c.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
    return reply.doc;
  }

  it('refuses a required flag bit it does not know, and accepts the optional exhaustAllowed bit', async function () {
    const doc = await refused(message(1, 1 << 3, [body({ ping: 1, $db: 'admin' })]), 1);
    expect(doc.errmsg).to.match(/flag/);
    c.send(message(2, 1 << 16, [body({ ping: 1, $db: 'admin' })]));
    expect((await c.nextReply()).doc).to.deep.include({ ok: 1 });
  });

  it('refuses two body sections, a message with no body, and an unknown section kind', async function () {
    await refused(message(3, 0, [body({ ping: 1, $db: 'admin' }), body({ ping: 1, $db: 'admin' })]), 3);
    await refused(message(4, 0, [sequence('documents', [{ a: 1 }])]), 4);
    await refused(message(5, 0, [body({ ping: 1, $db: 'admin' }), Buffer.from([2, 0, 0, 0, 0])]), 5);
  });

  it('refuses a sequence naming a field the body already has, and a sequence cut short', async function () {
    const insert = { insert: 'c', documents: [{ _id: 1 }], $db: 'wiretest' };
    await refused(message(6, 0, [body(insert), sequence('documents', [{ _id: 2 }])]), 6);
    const cut = sequence('documents', [{ _id: 3 }]);
    cut.writeInt32LE(cut.length + 10, 1);
    await refused(message(7, 0, [body({ insert: 'c', $db: 'wiretest' }), cut]), 7);
    const found = await c.command('wiretest', { find: 'c' });
    expect(found.cursor.firstBatch).to.deep.equal([]);
  });

  it('takes several sequences in one message, each becoming its field', async function () {
    c.send(
      message(8, 0, [
        body({ update: 'seq', ordered: true, $db: 'wiretest' }),
        sequence('updates', [
          { q: { _id: 1 }, u: { $set: { v: 1 } }, upsert: true },
          { q: { _id: 2 }, u: { $set: { v: 2 } }, upsert: true },
        ]),
      ]),
    );
    expect((await c.nextReply()).doc).to.deep.include({ n: 2, ok: 1 });
    const found = await c.command('wiretest', { find: 'seq', sort: { _id: 1 } });
    expect(found.cursor.firstBatch).to.deep.equal([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ]);
  });

  it('answers a $db that is not a string with FailedToParse (9)', async function () {
    const doc = await refused(message(9, 0, [body({ ping: 1, $db: 5 })]), 9);
    expect(doc.code).to.equal(9);
  });

  it('accepts the legacy handshake wrapped in $query, as old drivers send it', async function () {
    c.send(opQuery(10, 'admin.$cmd', { $query: { isMaster: 1 }, $readPreference: { mode: 'primary' } }));
    const reply = await c.nextReply();
    expect(reply.opCode).to.equal(1);
    expect(reply.doc).to.deep.include({ ismaster: true, ok: 1 });
  });
});
