import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BSON } from 'bson';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { crc32c } from '../../../src/embedded-mongo/wire/crc32c.js';
import { header, opMsg, opQuery, RawClient, socketPathOf, OP_MSG } from './raw-client.js';

describe('embedded store wire protocol: bad input', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let socketPath: string;
  const open: RawClient[] = [];

  async function client(): Promise<RawClient> {
    const c = await RawClient.connect(socketPath);
    open.push(c);
    return c;
  }

  /** The store must keep serving others whatever one client sent. */
  async function expectStoreStillServes(): Promise<void> {
    const other = await client();
    expect(await other.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
    await other.command('wiretest', { insert: 'things', documents: [{ k: 1 }] });
    const found = await other.command('wiretest', { find: 'things', filter: { k: 1 } });
    expect(found.cursor.firstBatch).to.have.length.greaterThan(0);
  }

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sw-'));
    store = await startEmbeddedMongo({ dataDir });
    socketPath = socketPathOf(store.uri);
  });

  afterEach(async function () {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  after(async function () {
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an unknown command answers 59 CommandNotFound and the same connection then answers ping', async function () {
    const c = await client();
    const reply = await c.command('admin', { frobnicate: 1 });
    expect(reply).to.deep.include({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    expect(reply.errmsg).to.equal("no such command: 'frobnicate'");
    expect(await c.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
  });

  it('command names are case-sensitive except the handshake', async function () {
    const c = await client();
    expect((await c.command('admin', { PING: 1 })).code).to.equal(59);
    expect(await c.command('admin', { HeLLo: 1 })).to.deep.include({ isWritablePrimary: true, ok: 1 });
  });

  it('a message length under 16 closes that connection only', async function () {
    const c = await client();
    c.send(header(8, 1, OP_MSG));
    await c.closed;
    await expectStoreStillServes();
  });

  it('a message length over maxMessageSizeBytes closes the connection without buffering it', async function () {
    const c = await client();
    c.send(header(48_000_001, 1, OP_MSG));
    await c.closed;
    await expectStoreStillServes();
  });

  it('an unknown opcode (and OP_COMPRESSED) closes the connection', async function () {
    for (const opCode of [9999, 2012]) {
      const c = await client();
      const body = Buffer.alloc(8);
      c.send(Buffer.concat([header(24, 1, opCode), body]));
      await c.closed;
    }
    await expectStoreStillServes();
  });

  it('invalid BSON in an OP_MSG gets an error reply and the connection keeps working', async function () {
    const c = await client();
    const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    doc[4] = 0x7e; // an element type that does not exist
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
    c.send(Buffer.concat([header(16 + rest.length, 7, OP_MSG), rest]));
    const reply = await c.nextReply();
    expect(reply.responseTo).to.equal(7);
    expect(reply.doc).to.deep.include({ ok: 0, code: 22 });
    expect(await c.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
  });

  it('a document whose size runs past the message gets an error reply', async function () {
    const c = await client();
    const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    doc.writeInt32LE(doc.length + 100, 0);
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
    c.send(Buffer.concat([header(16 + rest.length, 3, OP_MSG), rest]));
    expect((await c.nextReply()).doc).to.deep.include({ ok: 0, code: 2 });
    expect(await c.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
  });

  it('a truncated message followed by a hang-up loses nothing for other clients', async function () {
    const c = await client();
    const whole = opMsg(1, { insert: 'things', documents: [{ k: 'never' }], $db: 'wiretest' });
    c.send(whole.subarray(0, whole.length - 10));
    await c.close();
    await expectStoreStillServes();
    const check = await client();
    const found = await check.command('wiretest', { find: 'things', filter: { k: 'never' } });
    expect(found.cursor.firstBatch).to.deep.equal([]);
  });

  it('random garbage closes the connection; the store keeps serving', async function () {
    const c = await client();
    c.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await c.closed;
    await expectStoreStillServes();
  });

  it('an OP_MSG without $db gets an error reply', async function () {
    const c = await client();
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize({ ping: 1 }))]);
    c.send(Buffer.concat([header(16 + rest.length, 5, OP_MSG), rest]));
    expect((await c.nextReply()).doc).to.deep.include({ ok: 0 });
    expect(await c.command('admin', { ping: 1 })).to.deep.include({ ok: 1 });
  });

  it('OP_QUERY answers the legacy handshake with OP_REPLY and refuses other commands', async function () {
    const c = await client();
    c.send(opQuery(11, 'admin.$cmd', { isMaster: 1, helloOk: true }));
    const hello = await c.nextReply();
    expect(hello.opCode).to.equal(1);
    expect(hello.responseTo).to.equal(11);
    expect(hello.doc).to.include({
      ismaster: true,
      isWritablePrimary: true,
      maxWireVersion: 21,
      minWireVersion: 0,
    });
    expect(hello.doc).to.include({ logicalSessionTimeoutMinutes: 30, readOnly: false, ok: 1 });
    expect(hello.doc).not.to.have.property('topologyVersion');
    expect(hello.doc).not.to.have.property('compression');
    c.send(opQuery(12, 'wiretest.$cmd', { find: 'things' }));
    const refused = await c.nextReply();
    expect(refused.doc.ok).to.equal(0);
  });

  it('document sequences (kind 1) become the command array field', async function () {
    const c = await client();
    const reply = await c.command(
      'wiretest',
      { insert: 'seq', ordered: true },
      { sequences: { documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] } },
    );
    expect(reply).to.deep.include({ n: 3, ok: 1 });
    const found = await c.command('wiretest', { find: 'seq', sort: { _id: 1 } });
    expect(found.cursor.firstBatch).to.deep.equal([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
  });

  it('checks a CRC-32C trailer: a correct one is accepted, a wrong one is an error reply', async function () {
    expect(crc32c(Buffer.from('123456789'))).to.equal(0xe3069283); // the standard check value
    const c = await client();
    const plain = opMsg(21, { ping: 1, $db: 'admin' }, { flags: 1 });
    const withSum = Buffer.alloc(plain.length + 4);
    plain.copy(withSum);
    withSum.writeInt32LE(withSum.length, 0);
    withSum.writeUInt32LE(crc32c(withSum, 0, plain.length), plain.length);
    c.send(withSum);
    expect((await c.nextReply()).doc).to.deep.include({ ok: 1 });
    withSum.writeInt32LE(22, 4);
    withSum.writeUInt32LE((crc32c(withSum, 0, plain.length) ^ 1) >>> 0, plain.length);
    c.send(withSum);
    const bad = await c.nextReply();
    expect(bad.responseTo).to.equal(22);
    expect(bad.doc.ok).to.equal(0);
  });

  it('moreToCome executes the command without a reply', async function () {
    const c = await client();
    c.send(opMsg(31, { insert: 'quiet', documents: [{ _id: 'q' }], $db: 'wiretest' }, { flags: 2 }));
    const found = await c.command('wiretest', { find: 'quiet' });
    expect(found.cursor.firstBatch).to.deep.equal([{ _id: 'q' }]);
  });

  it('answers pipelined requests in order', async function () {
    const c = await client();
    const ids = [41, 42, 43, 44];
    c.send(Buffer.concat(ids.map((id) => opMsg(id, { ping: 1, $db: 'admin' }))));
    const replies = await Promise.all(ids.map(() => c.nextReply()));
    expect(replies.map((r) => r.responseTo)).to.deep.equal(ids);
  });

  it('stops reading a client that pipelines without reading its replies, then answers everything in order', async function () {
    this.timeout(30_000);
    const setup = await client();
    await setup.command('wiretest', {
      insert: 'big',
      documents: [{ _id: 'big', blob: 'b'.repeat(64 * 1024) }],
    });
    const count = 1000;
    const requests = Buffer.concat(
      Array.from({ length: count }, (_, i) =>
        opMsg(1000 + i, { find: 'big', filter: { _id: 'big' }, comment: 'c'.repeat(4096), $db: 'wiretest' }),
      ),
    );
    // A plain socket with no 'data' listener reads nothing: the replies (64 MB) pile up on the store.
    const socket = net.connect(socketPath);
    await once(socket, 'connect');
    try {
      socket.write(requests);
      await new Promise((r) => setTimeout(r, 1500));
      // The store stopped reading once its unsent replies passed its bound, so most requests are
      // still waiting on our side instead of in the store's memory.
      expect(socket.writableLength).to.be.greaterThan(1024 * 1024);
      await expectStoreStillServes();

      let buffer = Buffer.alloc(0);
      const order: number[] = [];
      await new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          buffer = Buffer.concat([buffer, chunk]);
          while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
            order.push(buffer.readInt32LE(8));
            buffer = buffer.subarray(buffer.readInt32LE(0));
          }
          if (order.length === count) resolve();
        });
      });
      expect(order).to.deep.equal(Array.from({ length: count }, (_, i) => 1000 + i));
    } finally {
      socket.destroy();
    }
  });
});
