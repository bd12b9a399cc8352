/**
 * Catalog commands beyond the basics: collections moved between databases, listCollections and
 * listDatabases options, index options as listIndexes gives them back, and index conflicts. These
 * pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: catalog commands', () => {
  // Runs before the conformance hooks' own after, which closes the client.
  after(async () => {
    await other().dropDatabase();
  });
  const conf = useConformanceDb('conf_catalog');
  const other = () => conf.client.db('conf_catalog_other');

  before(async () => {
    await other().dropDatabase();
  });

  it('renameCollection moves a collection to another database with its documents and indexes', async () => {
    const source = conf.db.collection('moving');
    await source.insertMany([{ k: 1 }, { k: 2 }]);
    await source.createIndex({ k: 1 }, { unique: true });
    await conf.client
      .db('admin')
      .command({ renameCollection: 'conf_catalog.moving', to: 'conf_catalog_other.moved' });
    const moved = other().collection('moved');
    expect(await moved.countDocuments()).to.equal(2);
    expect((await moved.listIndexes().toArray()).map((i) => i.name as string)).to.deep.equal(['_id_', 'k_1']);
    await expectServerError(moved.insertOne({ k: 2 }), 11000);
    expect(await conf.db.listCollections({ name: 'moving' }).toArray()).to.deep.equal([]);
  });

  it('listCollections filters on options and type, and nameOnly gives names and types only', async () => {
    await conf.db.createCollection('capped_log', { capped: true, size: 4096 });
    await conf.db.createCollection('plain');
    const capped = await conf.db.listCollections({ 'options.capped': true }).toArray();
    expect(capped.map((c) => c.name)).to.deep.equal(['capped_log']);
    expect((capped[0] as Document).options).to.deep.include({ capped: true, size: 4096 });
    const names = await conf.db
      .listCollections({ type: 'collection', name: /^p/ }, { nameOnly: true })
      .toArray();
    expect(names).to.deep.equal([{ name: 'plain', type: 'collection' }]);
  });

  it('listDatabases takes a filter and nameOnly', async () => {
    await conf.db.collection('x').insertOne({ a: 1 });
    const reply = await conf.client
      .db('admin')
      .command({ listDatabases: 1, nameOnly: true, filter: { name: 'conf_catalog' } });
    expect(reply.databases).to.deep.equal([{ name: 'conf_catalog' }]);
  });

  it('drop and dropDatabase of what does not exist succeed; a bad collection name is refused (73)', async () => {
    expect(await conf.db.collection('never_was').drop()).to.equal(true);
    await conf.client.db('conf_catalog_nothing_here').dropDatabase();
    await expectServerError(conf.db.createCollection('bad$name'), 73);
  });

  it('collStats of a missing collection fails with NamespaceNotFound (26); dbStats counts what is there', async () => {
    await expectServerError(conf.db.command({ collStats: 'never_created' }), 26);
    const stats = await other().command({ dbStats: 1 });
    expect(stats).to.deep.include({ db: 'conf_catalog_other', ok: 1 });
    expect(stats.objects).to.equal(2);
  });

  it('listIndexes gives back sparse, partial and TTL options as they were created', async () => {
    const coll = conf.db.collection('options');
    await coll.createIndex({ a: 1 }, { sparse: true });
    await coll.createIndex({ b: 1 }, { partialFilterExpression: { b: { $gt: 5 } }, name: 'b_partial' });
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const specs = await coll.listIndexes().toArray();
    const byName = Object.fromEntries(specs.map((s) => [s.name as string, s]));
    expect(byName.a_1).to.deep.include({ key: { a: 1 }, sparse: true });
    expect(byName.b_partial).to.deep.include({ key: { b: 1 }, partialFilterExpression: { b: { $gt: 5 } } });
    expect(byName.at_1).to.deep.include({ key: { at: 1 }, expireAfterSeconds: 3600 });
  });

  it('an index name reused for other keys is 86, the same keys under another name 85; drop by key pattern works', async () => {
    const coll = conf.db.collection('conflicts');
    await coll.createIndex({ a: 1 }, { name: 'mine' });
    await expectServerError(coll.createIndex({ b: 1 }, { name: 'mine' }), 86);
    await expectServerError(coll.createIndex({ a: 1 }, { name: 'other', unique: true }), 85);
    await coll.dropIndex({ a: 1 } as unknown as string);
    const names = (await coll.listIndexes().toArray()).map((s: Document) => s.name as string);
    expect(names).to.deep.equal(['_id_']);
  });
});
