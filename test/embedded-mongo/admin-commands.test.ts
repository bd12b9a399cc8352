import { expect } from 'chai';
import { expectServerError, useConformanceDb } from './support/conformance-db.js';

describe('embedded store conformance: handshake and admin commands', () => {
  const conf = useConformanceDb('conf_admin');

  it('hello reports a writable primary with the limits the driver relies on', async () => {
    const reply = await conf.client.db('admin').command({ hello: 1 });
    expect(reply.ok).to.equal(1);
    expect(reply.isWritablePrimary).to.equal(true);
    expect(reply.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
    expect(reply.maxMessageSizeBytes).to.equal(48_000_000);
    expect(reply.maxWriteBatchSize).to.equal(100_000);
    expect(reply.localTime).to.be.instanceOf(Date);
    expect(reply.minWireVersion).to.be.a('number');
    expect(reply.maxWireVersion).to.be.at.least(9);
    expect(reply.logicalSessionTimeoutMinutes).to.be.a('number');
  });

  it('legacy isMaster answers like hello with ismaster: true', async () => {
    const reply = await conf.client.db('admin').command({ isMaster: 1 });
    expect(reply.ok).to.equal(1);
    expect(reply.ismaster).to.equal(true);
  });

  it('ping answers ok: 1 on any database', async () => {
    expect((await conf.client.db('admin').command({ ping: 1 })).ok).to.equal(1);
    expect((await conf.db.command({ ping: 1 })).ok).to.equal(1);
  });

  it('buildInfo gives a version string matching its versionArray', async () => {
    const reply = await conf.db.command({ buildInfo: 1 });
    expect(reply.ok).to.equal(1);
    expect(reply.version).to.match(/^\d+\.\d+\.\d+/);
    expect(reply.versionArray).to.be.an('array').with.length.at.least(3);
    const [major, minor] = reply.versionArray as number[];
    expect(reply.version.startsWith(`${major}.${minor}.`)).to.equal(true);
  });

  it('getParameter returns the featureCompatibilityVersion asked for', async () => {
    const reply = await conf.client.db('admin').command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(reply.ok).to.equal(1);
    expect(reply.featureCompatibilityVersion.version).to.match(/^\d+\.\d+$/);
  });

  it('listDatabases includes a database once it holds data, with sizes and totalSize', async () => {
    await conf.db.collection('things').insertOne({ a: 1 });
    const reply = await conf.client.db('admin').command({ listDatabases: 1 });
    expect(reply.ok).to.equal(1);
    expect(reply.totalSize).to.be.a('number');
    const mine = (reply.databases as { name: string; sizeOnDisk: number; empty: boolean }[]).find(
      (d) => d.name === 'conf_admin',
    );
    expect(mine, 'conf_admin listed').to.not.equal(undefined);
    expect(mine?.sizeOnDisk).to.be.a('number');
    expect(mine?.empty).to.equal(false);

    const namesOnly = await conf.client.db('admin').command({ listDatabases: 1, nameOnly: true });
    expect((namesOnly.databases as { name: string }[]).map((d) => d.name)).to.include('conf_admin');
  });

  it('dbStats and collStats count the documents of the database and the collection', async () => {
    await conf.db.collection('stats').insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const db = await conf.db.command({ dbStats: 1 });
    expect(db.ok).to.equal(1);
    expect(db.db).to.equal('conf_admin');
    expect(db.collections).to.be.at.least(1);
    expect(db.objects).to.be.at.least(3);

    const coll = await conf.db.command({ collStats: 'stats' });
    expect(coll.ok).to.equal(1);
    expect(coll.ns).to.equal('conf_admin.stats');
    expect(coll.count).to.equal(3);
    expect(coll.size).to.be.greaterThan(0);
    expect(coll.nindexes).to.equal(1);
  });

  it('an unknown command fails with CommandNotFound (59) and the connection keeps working', async () => {
    const error = await expectServerError(conf.db.command({ noSuchCommandHere: 1 }), 59);
    expect(error.codeName).to.equal('CommandNotFound');
    expect(error.message).to.include('noSuchCommandHere');
    expect((await conf.db.command({ ping: 1 })).ok).to.equal(1);
    expect(await conf.db.collection('things').countDocuments()).to.be.a('number');
  });
});
