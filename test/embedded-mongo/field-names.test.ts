/**
 * Field names are data: MongoDB 5.0 stores names starting with `$`, and `__proto__` or `constructor`
 * are names like any other, which JavaScript objects must not turn into prototypes or inherited
 * members. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: field names are stored as given', () => {
  const conf = useConformanceDb('conf_field_names');
  const coll = () => conf.db.collection<Document>('docs');

  beforeEach(async () => {
    await coll().deleteMany({});
  });

  describe('names starting with $', () => {
    it('an insert stores a top-level $-prefixed field, and reads it back', async () => {
      await coll().insertOne({
        _id: 1 as never,
        $price: 50,
        quantity: 30,
        location: { $db: 'novels', $ref: '2007042768', $inc: true },
      });
      expect(await coll().findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        $price: 50,
        quantity: 30,
        location: { $db: 'novels', $ref: '2007042768', $inc: true },
      });
    });

    it('an upsert that inserts may set one; the same update of the existing document fails with 52', async () => {
      const update = { $set: { phone: 25, $hotel: 320 } };
      await coll().updateOne({ _id: 2 as never }, update, { upsert: true });
      expect(await coll().findOne({ _id: 2 as never })).to.deep.equal({ _id: 2, $hotel: 320, phone: 25 });
      await expectServerError(coll().updateOne({ _id: 2 as never }, { $set: { $hotel: 1 } }), 52);
      expect((await coll().findOne({ _id: 2 as never }))?.$hotel).to.equal(320);
    });

    it('an upsert with an operator-named path ($each.count) creates that field', async () => {
      await coll().updateOne({ _id: 3 as never }, { $set: { '$each.count': 42 } }, { upsert: true });
      expect(await coll().findOne({ _id: 3 as never })).to.deep.equal({ _id: 3, $each: { count: 42 } });
    });
  });

  describe('names every JavaScript object inherits', () => {
    const proto = (value: unknown): Document =>
      JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as Document;

    it('__proto__ is stored as an own field, by insert and by $set, and never becomes a prototype', async () => {
      await coll().insertOne({ _id: 1 as never, meta: proto({ a: 1 }) });
      await coll().updateOne({ _id: 1 as never }, { $set: { 'meta.__proto__.b': 2, other: proto('x') } });
      const doc = (await coll().findOne({ _id: 1 as never }))!;
      const meta = doc.meta as Document;
      const other = doc.other as Document;
      expect(Object.hasOwn(meta, '__proto__')).to.equal(true);
      expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).to.deep.equal({ a: 1, b: 2 });
      expect(Object.getOwnPropertyDescriptor(other, '__proto__')?.value).to.equal('x');
      expect(Object.getPrototypeOf(meta)).to.equal(Object.prototype);
    });

    it('$rename to __proto__.x or constructor.x creates those fields and pollutes nothing', async () => {
      await coll().insertOne({ _id: 2 as never, hello: 'world', bye: 'now' });
      await coll().updateOne(
        { _id: 2 as never },
        { $rename: { hello: '__proto__.polluted', bye: 'constructor.polluted' } },
      );
      const doc = (await coll().findOne({ _id: 2 as never }))!;
      expect(Object.keys(doc)).to.deep.equal(['_id', '__proto__', 'constructor']);
      expect(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value).to.deep.equal({ polluted: 'world' });
      expect(doc.constructor).to.deep.equal({ polluted: 'now' });
      expect(({} as Document).polluted).to.equal(undefined);
    });

    it('a missing field named constructor sorts as null, before values', async () => {
      await coll().insertMany([
        { _id: 1 as never, constructor: 'b' },
        { _id: 2 as never },
        { _id: 3 as never, constructor: 'a' },
      ]);
      const ids = (
        await coll()
          .find()
          .sort({ constructor: 1 } as Document)
          .toArray()
      ).map((d) => d._id as unknown);
      expect(ids).to.deep.equal([2, 3, 1]);
      expect(await coll().countDocuments({ constructor: null })).to.equal(1);
    });
  });
});
