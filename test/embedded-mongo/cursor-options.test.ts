/**
 * What find, aggregate, count and distinct answer for the options a driver passes, and how their
 * cursors continue, as MongoDB answers. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { Long, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: cursor and query options', () => {
  const conf = useConformanceDb('conf_cursor_options');
  const items = () => conf.db.collection<Document>('items');
  const run = (cmd: Document) => conf.db.command(cmd);
  // The driver gives a cursor id as a Long, or as a number when it fits one (0 always does).
  const closed = (cursor: Document) => Number(cursor.id) === 0;

  before(async () => {
    await items().insertMany(
      Array.from({ length: 12 }, (_, i) => ({
        _id: i as never,
        group: i % 3,
        tags: i % 2 ? ['odd', `t${i % 4}`] : [],
        ...(i % 5 === 0 ? {} : { size: i }),
        parts: [{ kind: i % 2 ? 'a' : 'b', n: i }],
      })),
    );
  });

  it('batchSize 0 opens a cursor with an empty first batch; getMore then returns the rest', async () => {
    const reply = await run({ find: 'items', batchSize: 0, sort: { _id: 1 } });
    const cursor = reply.cursor as { firstBatch: Document[]; id: Long };
    expect(cursor.firstBatch).to.deep.equal([]);
    expect(closed(cursor)).to.equal(false);
    const more = await run({ getMore: cursor.id, collection: 'items', batchSize: 5 });
    expect((more.cursor as Document).nextBatch).to.have.length(5);
  });

  it('a limit below the batch size closes the cursor with the first batch; a skip past the end finds nothing', async () => {
    const reply = await run({ find: 'items', limit: 3, batchSize: 10 });
    expect((reply.cursor as Document).firstBatch).to.have.length(3);
    expect(closed(reply.cursor as Document)).to.equal(true);
    expect(await items().find().skip(50).toArray()).to.deep.equal([]);
  });

  it('getMore names the cursor’s own collection; another one is refused (13), an unknown id is 43', async () => {
    const reply = await run({ find: 'items', batchSize: 2 });
    const id = (reply.cursor as Document).id as Long;
    await expectServerError(run({ getMore: id, collection: 'other' }), 13);
    await run({ killCursors: 'items', cursors: [id] });
    await expectServerError(run({ getMore: id, collection: 'items' }), 43);
  });

  it('sorts missing values first ascending and last descending, with limit and skip applied after', async () => {
    const asc = await items()
      .find({}, { projection: { size: 1 } })
      .sort({ size: 1, _id: 1 })
      .limit(4)
      .toArray();
    expect(asc.map((d) => d._id as unknown)).to.deep.equal([0, 5, 10, 1]);
    const desc = await items()
      .find({}, { projection: { size: 1 } })
      .sort({ size: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(desc.map((d) => d._id as unknown)).to.deep.equal([9, 8]);
  });

  it('count takes skip, limit and a query; countDocuments and estimatedDocumentCount agree', async () => {
    expect((await run({ count: 'items', query: { group: 0 }, skip: 1, limit: 2 })).n).to.equal(2);
    expect((await run({ count: 'items', query: { group: 0 }, skip: 3 })).n).to.equal(1);
    expect(await items().countDocuments({ tags: 'odd' })).to.equal(6);
    expect(await items().estimatedDocumentCount()).to.equal(12);
  });

  it('distinct flattens arrays, reaches through arrays of documents, and gives nothing for a missing field', async () => {
    expect(((await items().distinct('tags')) as string[]).sort()).to.deep.equal(['odd', 't1', 't3']);
    expect(((await items().distinct('parts.kind')) as string[]).sort()).to.deep.equal(['a', 'b']);
    expect(await items().distinct('size', { _id: { $lt: 3 } } as Document)).to.deep.equal([1, 2]);
    expect(await items().distinct('nothing')).to.deep.equal([]);
  });

  it('an aggregate cursor continues with getMore in the requested batch sizes', async () => {
    const reply = await run({
      aggregate: 'items',
      pipeline: [{ $sort: { _id: 1 } }],
      cursor: { batchSize: 5 },
    });
    const cursor = reply.cursor as { firstBatch: Document[]; id: Long };
    expect(cursor.firstBatch.map((d) => d._id as unknown)).to.deep.equal([0, 1, 2, 3, 4]);
    const next = await run({ getMore: cursor.id, collection: 'items', batchSize: 100 });
    expect(((next.cursor as Document).nextBatch as Document[]).map((d) => d._id as unknown)).to.deep.equal([
      5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(closed(next.cursor as Document)).to.equal(true);
  });

  it('a negative batchSize is refused (2)', async () => {
    await expectServerError(run({ find: 'items', batchSize: -1 }), 2);
  });
});
