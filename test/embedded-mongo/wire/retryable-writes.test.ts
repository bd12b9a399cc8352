import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Long, UUID } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

/**
 * A proxy between the driver and the store that, once armed, lets the next request containing a
 * marker through to the store but drops the connection instead of passing on the store's reply: the
 * write has been applied and acknowledged by the store, the client never hears of it.
 */
class ReplyDroppingProxy {
  private readonly server: net.Server;
  private marker: Buffer | undefined;
  dropped = 0;

  constructor(storeSocket: string) {
    this.server = net.createServer((client) => {
      const store = net.connect(storeSocket);
      let dropNextReply = false;
      client.on('data', (chunk: Buffer) => {
        if (this.marker && chunk.includes(this.marker)) {
          this.marker = undefined;
          dropNextReply = true;
        }
        store.write(chunk);
      });
      store.on('data', (chunk: Buffer) => {
        if (!dropNextReply) {
          client.write(chunk);
          return;
        }
        this.dropped++;
        client.destroy();
        store.destroy();
      });
      const close = (): void => {
        client.destroy();
        store.destroy();
      };
      client.on('error', close).on('close', close);
      store.on('error', close).on('close', close);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops the reply to the next request whose bytes contain `text`. */
  armFor(text: string): void {
    this.marker = Buffer.from(text);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('embedded store retryable writes', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let proxy: ReplyDroppingProxy;
  let client: MongoClient;

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'srw-'));
    store = await startEmbeddedMongo({ dataDir });
    proxy = new ReplyDroppingProxy(socketPathOf(store.uri));
    const port = await proxy.listen();
    client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/?directConnection=true&retryWrites=true`);
    await client
      .db('retry')
      .collection('counters')
      .insertOne({ _id: 'c' as never, n: 0 });
  });

  after(async function () {
    await client.close();
    await proxy.close();
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a write whose reply was lost is retried by the driver and applied once', async function () {
    const counters = client.db('retry').collection<{ _id: string; n: number; marker?: string }>('counters');
    proxy.armFor('lost-reply-update');
    const result = await counters.updateOne(
      { _id: 'c' },
      { $inc: { n: 1 }, $set: { marker: 'lost-reply-update' } },
    );
    expect(proxy.dropped).to.equal(1);
    expect(result.modifiedCount).to.equal(1);
    expect((await counters.findOne({ _id: 'c' }))?.n).to.equal(1);

    proxy.armFor('lost-reply-insert');
    await counters.insertOne({ _id: 'lost-reply-insert', n: 0 });
    expect(proxy.dropped).to.equal(2);
    expect(await counters.countDocuments({ _id: 'lost-reply-insert' })).to.equal(1);
  });

  it('findAndModify too: the retry answers the first execution’s document', async function () {
    const counters = client.db('retry').collection<{ _id: string; n: number; tag?: string }>('counters');
    const before = (await counters.findOne({ _id: 'c' }))!.n;
    proxy.armFor('lost-reply-fam');
    const found = await counters.findOneAndUpdate(
      { _id: 'c' },
      { $inc: { n: 1 }, $set: { tag: 'lost-reply-fam' } },
      { returnDocument: 'after' },
    );
    expect(proxy.dropped).to.equal(3);
    expect(found?.n).to.equal(before + 1);
    expect((await counters.findOne({ _id: 'c' }))?.n).to.equal(before + 1);
  });

  it('answers a re-sent statement with the same lsid and txnNumber from the first execution', async function () {
    const raw = await RawClient.connect(socketPathOf(store.uri));
    try {
      const lsid = { id: new UUID() };
      const write = {
        update: 'counters',
        updates: [{ q: { _id: 'raw' }, u: { $inc: { n: 1 } }, upsert: true }],
        lsid,
        txnNumber: Long.fromNumber(7),
      };
      const first = await raw.command('retry', write);
      const again = await raw.command('retry', write);
      expect(again).to.deep.equal(first);
      const next = await raw.command('retry', { ...write, txnNumber: Long.fromNumber(8) });
      expect(next).to.deep.include({ n: 1, nModified: 1, ok: 1 });
      const found = await raw.command('retry', { find: 'counters', filter: { _id: 'raw' } });
      expect(found.cursor.firstBatch).to.deep.equal([{ _id: 'raw', n: 2 }]);
      const stale = await raw.command('retry', { ...write, txnNumber: Long.fromNumber(3) });
      expect(stale).to.deep.include({ ok: 0, code: 225 });
    } finally {
      await raw.close();
    }
  });
});
