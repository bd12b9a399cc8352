/**
 * Features the store does not implement are refused by name, never answered as if they were not asked
 * for. Against a real MongoDB these features work, so the file is skipped there.
 */
import { expect } from 'chai';
import { expectServerError, usingRealMongo, useConformanceDb } from './support/conformance-db.js';

const NOT_SUPPORTED = /not supported by the embedded store; use MongoDB/;

describe('embedded store: unsupported features are refused with a clear error', function () {
  const conf = useConformanceDb('conf_unsupported');
  const places = () => conf.db.collection('places');

  before(async function () {
    if (usingRealMongo()) this.skip();
    await places().insertOne({ name: 'Kabul', loc: { type: 'Point', coordinates: [69.2, 34.5] } });
  });

  async function refused(action: Promise<unknown>, feature: RegExp): Promise<void> {
    const error = await expectServerError(action, 238);
    expect(error.message).to.match(NOT_SUPPORTED).and.match(feature);
  }

  it('$text search and text indexes', async () => {
    await refused(places().createIndex({ name: 'text' }), /text/);
    await refused(
      places()
        .find({ $text: { $search: 'kabul' } })
        .toArray(),
      /\$text/,
    );
    await refused(
      places()
        .aggregate([{ $match: { $text: { $search: 'kabul' } } }])
        .toArray(),
      /\$text/,
    );
  });

  it('geospatial indexes, query operators and $geoNear', async () => {
    await refused(places().createIndex({ loc: '2dsphere' }), /geospatial/);
    await refused(places().createIndex({ loc: '2d' }), /geospatial/);
    const near = { $near: { $geometry: { type: 'Point', coordinates: [69, 34] } } };
    await refused(places().find({ loc: near }).toArray(), /\$near/);
    const box = {
      $geoWithin: {
        $box: [
          [0, 0],
          [100, 100],
        ],
      },
    };
    await refused(places().find({ loc: box }).toArray(), /\$geoWithin/);
    await refused(
      places()
        .aggregate([{ $match: { loc: box } }])
        .toArray(),
      /\$geoWithin/,
    );
    const geoNear = { $geoNear: { near: { type: 'Point', coordinates: [69, 34] }, distanceField: 'd' } };
    await refused(places().aggregate([geoNear]).toArray(), /\$geoNear/);
  });

  it('explain, as a command and as an aggregate option', async () => {
    await refused(places().find({ name: 'Kabul' }).explain(), /explain/);
    await refused(
      places()
        .aggregate([{ $match: {} }])
        .explain(),
      /explain/,
    );
  });

  it('collection validators and time-series collections', async () => {
    const validator = { $jsonSchema: { required: ['name'] } };
    await refused(conf.db.createCollection('validated', { validator }), /validators/);
    await refused(conf.db.createCollection('series', { timeseries: { timeField: 't' } }), /time-series/);
    const names = (await conf.db.listCollections().toArray()).map((c) => c.name);
    expect(names).to.not.include('validated');
  });

  it('change streams', async () => {
    const stream = places().watch();
    await refused(stream.tryNext(), /change streams/);
    await stream.close();
  });

  it('find options that would change the answer: returnKey, showRecordId, min and max, tailable cursors', async () => {
    await refused(places().find({}, { returnKey: true }).toArray(), /returnKey/);
    await refused(places().find({}, { showRecordId: true }).toArray(), /showRecordId/);
    await refused(
      places()
        .find({}, { min: { name: 'A' }, hint: { _id: 1 } })
        .toArray(),
      /min/,
    );
    await refused(conf.db.command({ find: 'places', tailable: true }), /tailable/);
    // Options that only tune the run are taken as they are.
    expect(
      await places().find({}, { maxTimeMS: 5000, allowDiskUse: true, comment: 'report' }).toArray(),
    ).to.have.length(1);
  });

  it('let variables, on find, aggregate and writes alike', async () => {
    const expr = { $expr: { $eq: ['$name', '$$city'] } };
    await refused(
      places()
        .find(expr, { let: { city: 'Kabul' } })
        .toArray(),
      /let/,
    );
    await refused(
      places()
        .aggregate([{ $match: expr }], { let: { city: 'Kabul' } })
        .toArray(),
      /let/,
    );
    await refused(places().updateOne(expr, { $set: { seen: true } }, { let: { city: 'Kabul' } }), /let/);
    await refused(places().deleteOne(expr, { let: { city: 'Kabul' } }), /let/);
  });
});
