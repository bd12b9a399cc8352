/**
 * Query operators the store evaluates itself, each checked against MongoDB's documented answers (the
 * bitwise examples are those of MongoDB's manual). These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import { Binary, DBRef, Double, ObjectId, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: query operators', () => {
  const conf = useConformanceDb('conf_query_operators');
  const coll = (name: string) => conf.db.collection<Document>(name);
  const ids = async (name: string, filter: Document) =>
    (await coll(name).find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown);

  describe('$bitsAllSet, $bitsAnySet, $bitsAllClear, $bitsAnyClear', () => {
    before(async () => {
      await coll('bits').insertMany([
        { _id: 1 as never, a: 54 }, // 0011 0110
        { _id: 2 as never, a: 20 }, // 0001 0100
        { _id: 3 as never, a: new Double(20) },
        { _id: 4 as never, a: new Binary(Buffer.from('Zg==', 'base64')) }, // 0110 0110
        { _id: 5 as never, a: -5 }, // ...1111 1011
        { _id: 6 as never, a: 20.5 },
        { _id: 7 as never, a: '54' },
      ]);
    });

    it('take a list of bit positions', async () => {
      expect(await ids('bits', { a: { $bitsAllSet: [1, 5] } })).to.deep.equal([1, 4, 5]);
      expect(await ids('bits', { a: { $bitsAnySet: [1, 5] } })).to.deep.equal([1, 4, 5]);
      expect(await ids('bits', { a: { $bitsAllClear: [1, 5] } })).to.deep.equal([2, 3]);
      expect(await ids('bits', { a: { $bitsAnyClear: [1, 5] } })).to.deep.equal([2, 3]);
    });

    it('take a numeric mask and a binary mask', async () => {
      expect(await ids('bits', { a: { $bitsAllSet: 50 } })).to.deep.equal([1, 5]);
      expect(
        await ids('bits', { a: { $bitsAllSet: new Binary(Buffer.from('MA==', 'base64')) } }),
      ).to.deep.equal([1, 5]);
      expect(await ids('bits', { a: { $bitsAnySet: 0x40 } })).to.deep.equal([4, 5]);
    });

    it('treat a negative number as sign-extended and bits past binary data as clear', async () => {
      expect(await ids('bits', { a: { $bitsAllSet: [63, 40] } })).to.deep.equal([5]);
      expect(await ids('bits', { a: { $bitsAllClear: [40] } })).to.deep.equal([1, 2, 3, 4]);
    });

    it('refuse a negative or fractional numeric mask with FailedToParse (9)', async () => {
      await expectServerError(
        coll('bits')
          .find({ a: { $bitsAllSet: -1 } })
          .toArray(),
        9,
      );
      await expectServerError(
        coll('bits')
          .find({ a: { $bitsAnyClear: 1.5 } })
          .toArray(),
        9,
      );
    });
  });

  it('$mod truncates the value to an integer and keeps the remainder’s sign', async () => {
    await coll('mod').insertMany([
      { _id: 1 as never, q: 8 },
      { _id: 2 as never, q: 8.9 },
      { _id: 3 as never, q: -5 },
      { _id: 4 as never, q: 'x' },
    ]);
    expect(await ids('mod', { q: { $mod: [4, 0] } })).to.deep.equal([1, 2]);
    expect(await ids('mod', { q: { $mod: [4, -1] } })).to.deep.equal([3]);
    await expectServerError(
      coll('mod')
        .find({ q: { $mod: [0, 1] } })
        .toArray(),
      2,
    );
  });

  it('$elemMatch and dotted paths reach the fields of DBRefs ($ref, $id)', async () => {
    const member = new ObjectId();
    await coll('chats').insertMany([
      { _id: 1 as never, members: [new DBRef('users', new ObjectId()), new DBRef('users', member, 'other')] },
      { _id: 2 as never, members: [new DBRef('groups', member)] },
    ]);
    expect(await ids('chats', { members: { $elemMatch: { $id: member } } })).to.deep.equal([1, 2]);
    expect(await ids('chats', { members: { $elemMatch: { $id: member, $ref: 'users' } } })).to.deep.equal([
      1,
    ]);
    expect(await ids('chats', { 'members.$ref': 'groups' })).to.deep.equal([2]);
    expect(await ids('chats', { members: new DBRef('groups', member) })).to.deep.equal([2]);
    const [chat] = await coll('chats')
      .find({ _id: 2 as never })
      .toArray();
    expect(chat!.members).to.deep.equal([new DBRef('groups', member)]);
  });

  it('a bad filter is refused on a collection that does not exist, as on one that does', async () => {
    const missing = coll('never_created');
    const bad = { x: { $notAnOperator: 1 } };
    await expectServerError(missing.find(bad).toArray(), 2);
    await expectServerError(missing.countDocuments(bad), 2);
    await expectServerError(missing.distinct('x', bad), 2);
    await expectServerError(missing.updateOne(bad, { $set: { y: 1 } }), 2);
    await expectServerError(missing.deleteMany(bad), 2);
    await expectServerError(missing.findOneAndUpdate(bad, { $set: { y: 1 } }), 2);
    expect(await conf.db.listCollections({ name: 'never_created' }).toArray()).to.deep.equal([]);
  });
});
