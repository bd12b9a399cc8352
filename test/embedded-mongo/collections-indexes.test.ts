import { expect } from 'chai';
import { MongoBulkWriteError, type Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: collections and indexes', () => {
  const conf = useConformanceDb('conf_collections');

  async function collectionNames(): Promise<string[]> {
    const infos = await conf.db.listCollections({}, { nameOnly: true }).toArray();
    return infos.map((info) => info.name).sort();
  }

  it('create makes an empty collection that listCollections describes', async () => {
    await conf.db.createCollection('made');
    const [info] = await conf.db.listCollections({ name: 'made' }, { nameOnly: false }).toArray();
    expect(info?.name).to.equal('made');
    expect(info?.type).to.equal('collection');
    expect(info).to.have.property('options');
    expect(info?.info?.readOnly).to.equal(false);
    expect(info?.idIndex?.key).to.deep.equal({ _id: 1 });
    expect(await conf.db.collection('made').countDocuments()).to.equal(0);
  });

  it('create of an existing collection fails with NamespaceExists (48)', async () => {
    await conf.db.createCollection('twice');
    const error = await expectServerError(conf.db.command({ create: 'twice' }), 48);
    expect(error.codeName).to.equal('NamespaceExists');
  });

  it('a capped collection needs a size, as MongoDB requires (72)', async () => {
    await expectServerError(conf.db.command({ create: 'capped_no_size', capped: true }), 72);
    expect(await collectionNames()).to.not.include('capped_no_size');
  });

  it('listCollections filters by name and lists only collections of its database', async () => {
    await conf.db.collection('alpha').insertOne({ a: 1 });
    await conf.db.collection('beta').insertOne({ b: 1 });
    await conf.client.db('conf_collections_other').collection('gamma').insertOne({ g: 1 });
    try {
      const names = await collectionNames();
      expect(names).to.include.members(['alpha', 'beta']);
      expect(names).to.not.include('gamma');
      const only = await conf.db.listCollections({ name: 'beta' }).toArray();
      expect(only.map((c) => c.name)).to.deep.equal(['beta']);
    } finally {
      await conf.client.db('conf_collections_other').dropDatabase();
    }
  });

  it('drop removes the collection, its documents and its indexes', async () => {
    const coll = conf.db.collection('dropme');
    await coll.insertOne({ email: 'a' });
    await coll.createIndex({ email: 1 }, { unique: true });
    expect(await coll.drop()).to.equal(true);
    expect(await collectionNames()).to.not.include('dropme');
    expect(await coll.countDocuments()).to.equal(0);
    // The unique index went with it: the same value is accepted again.
    await coll.insertMany([{ email: 'a' }, { email: 'a' }]);
    expect(await coll.countDocuments({ email: 'a' })).to.equal(2);
  });

  it('dropDatabase removes every collection of that database only', async () => {
    const other = conf.client.db('conf_collections_drop');
    await other.collection('x').insertOne({ x: 1 });
    await other.collection('y').insertOne({ y: 1 });
    await conf.db.collection('keep').insertOne({ k: 1 });
    expect(await other.dropDatabase()).to.equal(true);
    expect(await other.listCollections().toArray()).to.deep.equal([]);
    const dbs = await conf.client.db('admin').command({ listDatabases: 1, nameOnly: true });
    expect((dbs.databases as { name: string }[]).map((d) => d.name)).to.not.include('conf_collections_drop');
    expect(await conf.db.collection('keep').countDocuments()).to.equal(1);
  });

  it('renameCollection moves documents and indexes; an existing target needs dropTarget', async () => {
    const source = conf.db.collection('src');
    await source.insertMany([{ k: 1 }, { k: 2 }]);
    await source.createIndex({ k: 1 }, { unique: true, name: 'k_unique' });
    await conf.db.collection('occupied').insertOne({ old: true });

    await expectServerError(source.rename('occupied'), 48);

    const renamed = await source.rename('dst');
    expect(renamed.collectionName).to.equal('dst');
    const names = await collectionNames();
    expect(names).to.include('dst');
    expect(names).to.not.include('src');
    expect(await renamed.countDocuments()).to.equal(2);
    const indexNames = (await renamed.listIndexes().toArray()).map((i) => i.name as string);
    expect(indexNames).to.include('k_unique');
    await expectServerError(renamed.insertOne({ k: 1 }), 11000);

    const replaced = await renamed.rename('occupied', { dropTarget: true });
    expect(await replaced.countDocuments({ old: true })).to.equal(0);
    expect(await replaced.countDocuments()).to.equal(2);
  });

  it('renameCollection of a missing source fails with NamespaceNotFound (26)', async () => {
    await expectServerError(
      conf.client
        .db('admin')
        .command({ renameCollection: 'conf_collections.nothing', to: 'conf_collections.else' }),
      26,
    );
  });

  it('createIndexes reports counts, listIndexes shows the specs, dropIndexes removes them', async () => {
    const coll = conf.db.collection('indexed');
    const created = await conf.db.command({
      createIndexes: 'indexed',
      indexes: [
        { key: { a: 1 }, name: 'a_1' },
        { key: { b: -1, c: 1 }, name: 'b_-1_c_1', unique: true },
      ],
    });
    expect(created.ok).to.equal(1);
    expect(created.numIndexesBefore).to.equal(1);
    expect(created.numIndexesAfter).to.equal(3);
    expect(created.createdCollectionAutomatically).to.equal(true);

    const specs = await coll.listIndexes().toArray();
    expect(specs.map((s): unknown => s.name)).to.deep.equal(['_id_', 'a_1', 'b_-1_c_1']);
    expect(specs[0]?.key).to.deep.equal({ _id: 1 });
    expect(specs[2]?.key).to.deep.equal({ b: -1, c: 1 });
    expect(specs[2]?.unique).to.equal(true);

    // Same spec again is a no-op, not an error.
    const again = await conf.db.command({
      createIndexes: 'indexed',
      indexes: [{ key: { a: 1 }, name: 'a_1' }],
    });
    expect(again.numIndexesBefore).to.equal(3);
    expect(again.numIndexesAfter).to.equal(3);

    await coll.dropIndex('a_1');
    expect((await coll.listIndexes().toArray()).map((s): unknown => s.name)).to.deep.equal([
      '_id_',
      'b_-1_c_1',
    ]);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((s): unknown => s.name)).to.deep.equal(['_id_']);
  });

  it('dropIndexes of an unknown index fails with IndexNotFound (27)', async () => {
    await conf.db.collection('noindex').insertOne({ a: 1 });
    const error = await expectServerError(conf.db.collection('noindex').dropIndex('missing_1'), 27);
    expect(error.codeName).to.equal('IndexNotFound');
  });

  it('listIndexes of a missing collection fails with NamespaceNotFound (26)', async () => {
    await expectServerError(conf.db.command({ listIndexes: 'never_created' }), 26);
  });

  it('a unique index cannot be built over existing duplicates', async () => {
    const coll = conf.db.collection('predup');
    await coll.insertMany([{ u: 1 }, { u: 1 }]);
    await expectServerError(coll.createIndex({ u: 1 }, { unique: true }), 11000);
    expect((await coll.listIndexes().toArray()).map((s): unknown => s.name)).to.deep.equal(['_id_']);
  });

  describe('duplicate key errors', () => {
    it('have code 11000, keyPattern, keyValue and MongoDB’s message', async () => {
      const coll = conf.db.collection('users');
      await coll.createIndex({ email: 1 }, { unique: true });
      await coll.insertOne({ email: 'amina@example.org' });
      const error = await expectServerError(coll.insertOne({ email: 'amina@example.org' }), 11000);
      expect(error.keyPattern).to.deep.equal({ email: 1 });
      expect(error.keyValue).to.deep.equal({ email: 'amina@example.org' });
      expect(error.errmsg).to.equal(
        'E11000 duplicate key error collection: conf_collections.users index: email_1 dup key: { email: "amina@example.org" }',
      );
      expect(await coll.countDocuments()).to.equal(1);
    });

    it('on _id name the _id_ index', async () => {
      const coll = conf.db.collection('ids');
      await coll.insertOne({ _id: 7 } as never);
      const error = await expectServerError(coll.insertOne({ _id: 7 } as never), 11000);
      expect(error.keyPattern).to.deep.equal({ _id: 1 });
      expect(error.keyValue).to.deep.equal({ _id: 7 });
      expect(error.errmsg).to.equal(
        'E11000 duplicate key error collection: conf_collections.ids index: _id_ dup key: { _id: 7 }',
      );
    });

    it('are raised by updates that would create a duplicate', async () => {
      const coll = conf.db.collection('upd_dup');
      await coll.createIndex({ code: 1 }, { unique: true });
      await coll.insertMany([{ code: 'a' }, { code: 'b' }]);
      await expectServerError(coll.updateOne({ code: 'b' }, { $set: { code: 'a' } }), 11000);
      expect(await coll.countDocuments({ code: 'b' })).to.equal(1);
    });
  });

  it('a unique compound index refuses only the repeated combination', async () => {
    const coll = conf.db.collection('compound');
    await coll.createIndex({ user: 1, course: 1 }, { unique: true });
    await coll.insertMany([
      { user: 1, course: 'a' },
      { user: 1, course: 'b' },
      { user: 2, course: 'a' },
    ]);
    const error = await expectServerError(coll.insertOne({ user: 1, course: 'a' }), 11000);
    expect(error.keyPattern).to.deep.equal({ user: 1, course: 1 });
    expect(error.keyValue).to.deep.equal({ user: 1, course: 'a' });
    expect(error.errmsg).to.equal(
      'E11000 duplicate key error collection: conf_collections.compound index: user_1_course_1 dup key: { user: 1, course: "a" }',
    );
  });

  it('a non-sparse unique index treats a missing field as null, so a second document without it is refused', async () => {
    const coll = conf.db.collection('dense');
    await coll.createIndex({ tag: 1 }, { unique: true });
    await coll.insertOne({ other: 1 });
    const error = await expectServerError(coll.insertOne({ other: 2 }), 11000);
    expect(error.keyValue).to.deep.equal({ tag: null });
  });

  it('a sparse unique index allows many documents without the field but no repeated value', async () => {
    const coll = conf.db.collection('sparse');
    await coll.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ a: 1 }, { a: 2 }, { nick: 'x' }]);
    await expectServerError(coll.insertOne({ nick: 'x' }), 11000);
    expect(await coll.countDocuments()).to.equal(3);
  });

  it('a partial unique index only constrains documents matching its filter', async () => {
    const coll = conf.db.collection('partial');
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
    await coll.insertMany([
      { email: 'a', status: 'archived' },
      { email: 'a', status: 'archived' },
      { email: 'a', status: 'active' },
    ]);
    await expectServerError(coll.insertOne({ email: 'a', status: 'active' }), 11000);
    const [spec] = (await coll.listIndexes().toArray()).filter((s) => s.name === 'email_1');
    expect(spec?.partialFilterExpression).to.deep.equal({ status: 'active' });
    // Leaving the filter frees the value.
    await coll.updateOne({ status: 'active' }, { $set: { status: 'archived' } });
    await coll.insertOne({ email: 'a', status: 'active' });
    expect(await coll.countDocuments({ email: 'a' })).to.equal(4);
  });

  it('a unique index on an array field refuses a value shared by two documents, not one repeated in a document', async () => {
    const coll = conf.db.collection('multikey');
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['x', 'x', 'y'] });
    await coll.insertOne({ tags: ['z'] });
    const error = await expectServerError(coll.insertOne({ tags: ['q', 'y'] }), 11000);
    expect(error.keyValue).to.deep.equal({ tags: 'y' });
  });

  it('queries return the same documents with and without an index on the field', async () => {
    const coll = conf.db.collection('planner');
    const values: unknown[] = [
      null,
      -1,
      0,
      0.5,
      1,
      2,
      10,
      'a',
      'b',
      'ba',
      [1, 10],
      [],
      ['a', 3],
      { k: 1 },
      true,
    ];
    await coll.insertMany(
      Array.from({ length: 120 }, (_, i) =>
        i % 16 === 15 ? { _id: i } : { _id: i, v: values[i % 16] },
      ) as never[],
    );
    const filters: Document[] = [
      { v: 1 },
      { v: null },
      { v: { $gt: 0 } },
      { v: { $gte: 0, $lt: 2 } },
      { v: { $lte: 1 } },
      { v: { $gt: 'a' } },
      { v: { $in: [2, 'b', null] } },
      { v: { $ne: 1 } },
      { v: { $nin: [1, 'a'] } },
      { v: { $exists: false } },
      { v: [] },
      { v: { $size: 2 } },
      { v: { k: 1 } },
      { v: { $type: 'string' } },
      { $and: [{ v: { $gt: 0 } }, { v: { $lt: 10 } }] },
      { $or: [{ v: 0 }, { v: 'ba' }] },
    ];
    const idsFor = async () => {
      const out: number[][] = [];
      for (const filter of filters) {
        out.push(
          (await coll.find(filter).toArray()).map((d) => d._id as unknown as number).sort((a, b) => a - b),
        );
      }
      return out;
    };
    const scanned = await idsFor();
    await coll.createIndex({ v: 1 });
    expect(await idsFor()).to.deep.equal(scanned);
    await coll.dropIndex('v_1');
    await coll.createIndex({ v: -1 });
    expect(await idsFor()).to.deep.equal(scanned);
    expect(scanned[0], 'sanity: { v: 1 } matched').to.have.length.greaterThan(0);
  });

  it('insertMany with a duplicate reports a bulk write error naming the failing index', async () => {
    const coll = conf.db.collection('bulkdup');
    await coll.createIndex({ k: 1 }, { unique: true });
    let caught: unknown;
    try {
      await coll.insertMany([{ k: 1 }, { k: 1 }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(MongoBulkWriteError);
    const bulk = caught as MongoBulkWriteError;
    const [first] = [bulk.writeErrors].flat();
    expect(first?.code).to.equal(11000);
    expect(first?.index).to.equal(1);
    expect(first?.errmsg).to.include('index: k_1 dup key: { k: 1 }');
  });
});
