/**
 * The write commands' own arguments, checked as MongoDB checks them before writing anything, and a
 * batch going on past documents MongoDB refuses one by one. These pass against a real MongoDB
 * replica set too.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: write command arguments', () => {
  const conf = useConformanceDb('conf_write_commands');
  const run = (cmd: Document) => conf.db.command(cmd);

  before(async () => {
    await conf.db.collection('c').insertOne({ _id: 1 as never, n: 1 });
  });

  it('findAndModify needs exactly one of update and remove (9)', async () => {
    await expectServerError(
      run({ findAndModify: 'c', query: { _id: 1 }, remove: true, update: { $inc: { n: 1 } } }),
      9,
    );
    await expectServerError(run({ findAndModify: 'c', query: { _id: 1 } }), 9);
    expect((await conf.db.collection('c').findOne({ _id: 1 as never }))?.n).to.equal(1);
  });

  it('a delete statement’s limit is 0 or 1 (9)', async () => {
    await expectServerError(run({ delete: 'c', deletes: [{ q: {}, limit: 2 }] }), 9);
    expect(await conf.db.collection('c').countDocuments()).to.equal(1);
  });

  it('an unordered insert goes past a document nested too deeply and one with a duplicate _id', async () => {
    let deep: Document = { leaf: true };
    for (let i = 0; i < 120; i++) deep = { d: deep };
    const reply = await run({
      insert: 'c',
      documents: [{ _id: 2 }, { _id: 3, deep }, { _id: 1 }, { _id: 4 }],
      ordered: false,
    });
    expect(reply.n).to.equal(2);
    const failed = (reply.writeErrors as Document[]).map((e) => e.index as number);
    expect(failed).to.deep.equal([1, 2]);
    expect((reply.writeErrors as Document[])[1]!.code).to.equal(11000);
    const ids = (await conf.db.collection('c').find().sort({ _id: 1 }).toArray()).map(
      (d) => d._id as unknown,
    );
    expect(ids).to.deep.equal([1, 2, 4]);
  });

  it('an ordered update stops at the first failing statement and reports what it did before', async () => {
    const reply = await run({
      update: 'c',
      updates: [
        { q: { _id: 2 }, u: { $set: { n: 2 } } },
        { q: { _id: 4 }, u: { $inc: { n: 'x' } } },
        { q: { _id: 1 }, u: { $set: { n: 100 } } },
      ],
    });
    expect([reply.n, reply.nModified]).to.deep.equal([1, 1]);
    expect((reply.writeErrors as Document[]).map((e): unknown[] => [e.index, e.code])).to.deep.equal([
      [1, 14],
    ]);
    expect((await conf.db.collection('c').findOne({ _id: 1 as never }))?.n).to.equal(1);
  });
});
