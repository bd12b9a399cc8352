/**
 * Regular expressions as MongoDB applies them: every option (i, m, s, x), as values, with $regex and
 * $options, under $not, $in and $elemMatch, in $pull, and stored as values with their options intact.
 * These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { BSONRegExp, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: regular expressions', () => {
  const conf = useConformanceDb('conf_regex');
  const coll = () => conf.db.collection<Document>('people');
  const ids = async (filter: Document) =>
    (await coll().find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown);

  before(async () => {
    await coll().insertMany([
      { _id: 1 as never, name: 'Ahmad\nBibi', tags: ['Kabul', 'herat'] },
      { _id: 2 as never, name: 'bibi', tags: [], notes: [{ text: 'Call back' }, { text: 'paid' }] },
      { _id: 3 as never, tags: ['mazar'], notes: [{ text: 'PAID in full' }] },
    ]);
  });

  it('i, m, s and x options mean what they mean to MongoDB', async () => {
    expect(await ids({ name: { $regex: '^bibi$', $options: 'im' } })).to.deep.equal([1, 2]);
    expect(await ids({ name: { $regex: '^bibi$', $options: 'i' } })).to.deep.equal([2]);
    expect(await ids({ name: { $regex: 'd.B' } })).to.deep.equal([]);
    expect(await ids({ name: { $regex: 'd.B', $options: 's' } })).to.deep.equal([1]);
    expect(
      await ids({ name: { $regex: ' b i  # spaces and comments do not count\n b i $', $options: 'x' } }),
    ).to.deep.equal([2]);
    expect(await ids({ name: { $regex: 'b[ ]i', $options: 'x' } })).to.deep.equal([]);
    expect(await ids({ name: new BSONRegExp('^ahmad.bibi$', 'is') })).to.deep.equal([1]);
  });

  it('$not, $in and $nin take regular expressions; a field without the path matches $not', async () => {
    expect(await ids({ name: { $not: /^A/ } })).to.deep.equal([2, 3]);
    expect(await ids({ name: { $in: [/^b/, 'nobody'] } })).to.deep.equal([2]);
    expect(await ids({ tags: { $in: [/^h/] } })).to.deep.equal([1]);
    expect(await ids({ tags: { $nin: [/^K/, /^m/] } })).to.deep.equal([2]);
  });

  it('$elemMatch conditions and $all take them too', async () => {
    expect(await ids({ notes: { $elemMatch: { text: { $regex: '^paid', $options: 'i' } } } })).to.deep.equal([
      2, 3,
    ]);
    expect(await ids({ tags: { $all: [/^k/i, /t$/] } })).to.deep.equal([1]);
  });

  it('$not takes a $regex with $options; the x option keeps what is escaped or in a class', async () => {
    expect(await ids({ name: { $not: { $regex: '^BIBI$', $options: 'i' } } })).to.deep.equal([1, 3]);
    expect(await ids({ name: { $regex: 'Ahmad \\n Bibi', $options: 'x' } })).to.deep.equal([1]);
    expect(await ids({ name: { $regex: '^b[ #]?ibi # a comment', $options: 'x' } })).to.deep.equal([2]);
    expect(await ids({ tags: { $in: [new BSONRegExp('^ M A Z', 'ix')] } })).to.deep.equal([3]);
  });

  it('$options without $regex is refused (2)', async () => {
    await expectServerError(
      coll()
        .find({ name: { $options: 'i' } })
        .toArray(),
      2,
    );
  });

  it('a stored regular expression keeps its pattern and options', async () => {
    await conf.db.collection('patterns').insertOne({ _id: 1 as never, re: new BSONRegExp('a b', 'imsx') });
    const doc = await conf.db.collection('patterns').findOne({}, { bsonRegExp: true });
    expect(doc!.re).to.deep.equal(new BSONRegExp('a b', 'imsx'));
  });

  it('$pull removes the elements a regular expression matches; an upsert takes no field from one', async () => {
    await coll().updateOne({ _id: 1 as never }, { $pull: { tags: /^k/i } } as Document);
    expect((await coll().findOne({ _id: 1 as never }))!.tags).to.deep.equal(['herat']);
    await conf.db
      .collection('upserts')
      .updateOne({ code: /^x/, kind: 'a' }, { $set: { n: 1 } }, { upsert: true });
    const [made] = await conf.db
      .collection('upserts')
      .find({}, { projection: { _id: 0 } })
      .toArray();
    expect(made).to.deep.equal({ kind: 'a', n: 1 });
  });
});
