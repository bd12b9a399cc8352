/**
 * What the store keeps across a restart is exactly what it was sent: every BSON type as it was typed,
 * regular expressions with their options, DBRefs, field names starting with $ or named __proto__.
 * The store is stopped and started again on its data folder, so this runs against the embedded
 * store only.
 */
import { expect } from 'chai';
import {
  Binary,
  BSONRegExp,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  ObjectId,
  Timestamp,
  UUID,
  type Document,
} from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/embedded-mongo/index.js';
import { startPrivateStore, usingRealMongo, type PrivateStore } from './support/conformance-db.js';

describe('embedded store: values survive a restart exactly', function () {
  let store: PrivateStore | undefined;
  let restarted: EmbeddedMongo | undefined;

  before(function () {
    if (usingRealMongo()) this.skip();
  });

  after(async function () {
    await restarted?.stop();
    await store?.close();
  });

  it('keeps types, options and field names as they were written', async function () {
    this.timeout(30_000);
    store = await startPrivateStore();
    const oid = new ObjectId();
    const original: Document = {
      _id: new Int32(1),
      int: new Int32(7),
      double: new Double(7),
      negZero: -0,
      long: Long.fromString('9007199254740993'),
      decimal: new Decimal128('0.10'),
      stamp: new Timestamp({ t: 5, i: 6 }),
      bin: new Binary(Buffer.from([1, 2, 3]), 0x80),
      uuid: new UUID('0123456789abcdef0123456789abcdef'),
      regex: new BSONRegExp('^a b$', 'imsx'),
      ref: new DBRef('users', oid, 'other'),
      when: new Date(86_400_000),
      ends: [new MinKey(), new MaxKey()],
      $price: new Int32(50),
      meta: JSON.parse('{"__proto__": {"x": 1}}') as Document,
    };
    let client = await MongoClient.connect(store.store.uri);
    await client.db('fidelity').collection('values').insertOne(original);
    await client.close();

    await store.store.stop();
    restarted = await startEmbeddedMongo({ dataDir: store.dataDir });
    client = await MongoClient.connect(restarted.uri);
    try {
      const read = (await client
        .db('fidelity')
        .collection('values')
        .findOne({}, { promoteValues: false, promoteLongs: false, bsonRegExp: true }))!;
      expect(Object.keys(read)).to.deep.equal(Object.keys(original));
      for (const key of Object.keys(original).filter((k) => !['negZero', 'meta'].includes(k))) {
        expect(read[key], key).to.deep.equal(original[key]);
      }
      expect(Object.is((read.negZero as Double).value, -0)).to.equal(true);
      expect(Object.getOwnPropertyDescriptor(read.meta, '__proto__')?.value).to.deep.equal({
        x: new Int32(1),
      });
    } finally {
      await client.close();
    }
  });
});
