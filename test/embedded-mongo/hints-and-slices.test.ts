/**
 * A hint gives the hinted index's order (and, for a sparse index, only what it holds), and a $slice
 * projection mixes with inclusions and exclusions, as MongoDB answers them. These pass against a real
 * MongoDB replica set too.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: hints and $slice projections', () => {
  const conf = useConformanceDb('conf_hints_slices');
  const items = () => conf.db.collection<Document>('items');
  const names = (docs: Document[]) => docs.map((d) => d.name as unknown);

  before(async () => {
    await items().insertMany([
      { _id: 1 as never, name: 'Andrew', qty: 4, arr: [1, 2, 3], secret: 'x' },
      { _id: 2 as never, name: 'Betty', qty: 5, arr: [4, 5], secret: 'y', tag: 't' },
      { _id: 3 as never, name: 'Charlie', qty: 4, arr: [], secret: 'z' },
    ]);
    await items().createIndex({ qty: -1, name: -1 });
    await items().createIndex({ tag: 1 }, { sparse: true });
  });

  it('find and aggregate with a hint and no sort return the documents in the index’s order', async () => {
    const hint = { qty: -1, name: -1 };
    expect(names(await items().find({}, { hint }).toArray())).to.deep.equal(['Betty', 'Charlie', 'Andrew']);
    expect(
      names(
        await items()
          .aggregate([{ $match: {} }], { hint })
          .toArray(),
      ),
    ).to.deep.equal(['Betty', 'Charlie', 'Andrew']);
    expect(names(await items().find({}, { hint: 'qty_-1_name_-1', limit: 2 }).toArray())).to.deep.equal([
      'Betty',
      'Charlie',
    ]);
  });

  it('a $natural hint gives insertion order, or its reverse', async () => {
    expect(
      names(
        await items()
          .find({}, { hint: { $natural: -1 } })
          .toArray(),
      ),
    ).to.deep.equal(['Charlie', 'Betty', 'Andrew']);
    expect(
      names(
        await items()
          .find({ qty: 4 }, { hint: { $natural: 1 } })
          .toArray(),
      ),
    ).to.deep.equal(['Andrew', 'Charlie']);
  });

  it('a hinted sparse index leaves out the documents it does not hold; an unknown index is refused (2)', async () => {
    expect(
      names(
        await items()
          .find({}, { hint: { tag: 1 } })
          .toArray(),
      ),
    ).to.deep.equal(['Betty']);
    await expectServerError(
      items()
        .find({}, { hint: { nope: 1 } })
        .toArray(),
      2,
    );
    await expectServerError(items().aggregate([], { hint: 'nope_1' }).toArray(), 2);
  });

  it('$slice next to exclusions keeps every other field, sliced', async () => {
    const docs = await items()
      .find({}, { projection: { secret: 0, arr: { $slice: 1 } } })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).to.deep.equal([
      { _id: 1, name: 'Andrew', qty: 4, arr: [1] },
      { _id: 2, name: 'Betty', qty: 5, arr: [4], tag: 't' },
      { _id: 3, name: 'Charlie', qty: 4, arr: [] },
    ]);
  });

  it('$slice next to inclusions is one more field included, sliced', async () => {
    const docs = await items()
      .find({}, { projection: { name: 1, arr: { $slice: -1 } } })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).to.deep.equal([
      { _id: 1, name: 'Andrew', arr: [3] },
      { _id: 2, name: 'Betty', arr: [5] },
      { _id: 3, name: 'Charlie', arr: [] },
    ]);
    const [skipped] = await items()
      .find({ _id: 1 as never }, { projection: { _id: 0, arr: { $slice: [1, 1] } } })
      .toArray();
    expect(skipped).to.deep.equal({ name: 'Andrew', qty: 4, arr: [2], secret: 'x' });
  });
});
