/**
 * The session state machine as MongoDB runs it, driven with raw commands (lsid, txnNumber,
 * autocommit) the way drivers send them: retried and out-of-order statements, a newer transaction
 * superseding an older one, and the answers for transactions that ended.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Long, UUID, type Document } from 'bson';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/embedded-mongo/index.js';
import { RawClient, socketPathOf } from './raw-client.js';

describe('embedded store sessions and transaction numbers', function () {
  let dataDir: string;
  let store: EmbeddedMongo;
  let c: RawClient;
  let lsid: { id: UUID };

  before(async function () {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ss-'));
    store = await startEmbeddedMongo({ dataDir });
  });

  beforeEach(async function () {
    c = await RawClient.connect(socketPathOf(store.uri));
    lsid = { id: new UUID() };
    await c.command('sess', { delete: 'docs', deletes: [{ q: {}, limit: 0 }] });
  });

  afterEach(async function () {
    await c.close();
  });

  after(async function () {
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const txn = (n: number, extra: Document = {}): Document => ({
    lsid,
    txnNumber: Long.fromNumber(n),
    autocommit: false,
    ...extra,
  });
  const insertIn = (n: number, id: string, start = false) =>
    c.command('sess', {
      insert: 'docs',
      documents: [{ _id: id }],
      ...txn(n, start ? { startTransaction: true } : {}),
    });
  const commit = (n: number) => c.command('admin', { commitTransaction: 1, ...txn(n) });
  const abort = (n: number) => c.command('admin', { abortTransaction: 1, ...txn(n) });
  const ids = async (): Promise<unknown[]> => {
    const found = await c.command('sess', { find: 'docs', sort: { _id: 1 } });
    return (found.cursor.firstBatch as Document[]).map((d) => d._id as unknown);
  };

  it('a retryable write with an older txnNumber than the session’s last is refused (225) and not applied', async function () {
    const write = (n: number, id: string) =>
      c.command('sess', { insert: 'docs', documents: [{ _id: id }], lsid, txnNumber: Long.fromNumber(n) });
    expect(await write(5, 'five')).to.deep.include({ n: 1, ok: 1 });
    expect(await write(4, 'four')).to.deep.include({ ok: 0, code: 225 });
    expect(await ids()).to.deep.equal(['five']);
  });

  it('a commit retried after success answers ok again; an abort after it answers TransactionCommitted (256)', async function () {
    await insertIn(1, 'a', true);
    expect(await commit(1)).to.deep.include({ ok: 1 });
    expect(await commit(1)).to.deep.include({ ok: 1 });
    expect(await abort(1)).to.deep.include({ ok: 0, code: 256 });
    expect(await ids()).to.deep.equal(['a']);
  });

  it('a statement for another txnNumber than the open one is NoSuchTransaction (251), labelled transient', async function () {
    await insertIn(2, 'a', true);
    const reply = await insertIn(3, 'b');
    expect(reply).to.deep.include({ ok: 0, code: 251 });
    expect(reply.errorLabels).to.deep.equal(['TransientTransactionError']);
    expect(await commit(2)).to.deep.include({ ok: 1 });
    expect(await ids()).to.deep.equal(['a']);
  });

  it('starting a transaction again with the same number is refused (225)', async function () {
    await insertIn(4, 'a', true);
    expect(await insertIn(4, 'b', true)).to.deep.include({ ok: 0, code: 225 });
  });

  it('a newer transaction on the session aborts the older one, whose writes vanish', async function () {
    await insertIn(6, 'old', true);
    await insertIn(7, 'new', true);
    expect(await commit(6)).to.deep.include({ ok: 0, code: 251 });
    expect(await commit(7)).to.deep.include({ ok: 1 });
    expect(await ids()).to.deep.equal(['new']);
  });

  it('a commit after an abort is NoSuchTransaction (251), and the aborted writes never appear', async function () {
    await insertIn(8, 'gone', true);
    expect(await abort(8)).to.deep.include({ ok: 1 });
    expect(await commit(8)).to.deep.include({ ok: 0, code: 251 });
    expect(await ids()).to.deep.equal([]);
  });

  it('serverStatus counts open transactions, and killAllSessions aborts them', async function () {
    const open = async (): Promise<number> =>
      ((await c.command('admin', { serverStatus: 1 })).transactions as Document).currentOpen as number;
    const before = await open();
    await insertIn(9, 'open', true);
    expect(await open()).to.equal(before + 1);
    expect(await c.command('admin', { killAllSessions: [] })).to.deep.include({ ok: 1 });
    expect(await commit(9)).to.deep.include({ ok: 0, code: 251 });
    expect(((await c.command('admin', { serverStatus: 1 })).transactions as Document).currentOpen).to.equal(
      0,
    );
    expect(await ids()).to.deep.equal([]);
  });

  it('a transaction statement without a txnNumber, or commit without one, is refused (72)', async function () {
    const noNumber = await c.command('sess', {
      find: 'docs',
      lsid,
      autocommit: false,
      startTransaction: true,
    });
    expect(noNumber).to.deep.include({ ok: 0, code: 72 });
    expect(await c.command('admin', { commitTransaction: 1, lsid })).to.deep.include({ ok: 0, code: 72 });
  });
});
