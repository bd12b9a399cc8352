/**
 * mongoose features the app's coming work leans on, through the store: index syncing, atomic
 * updates with validators, subdocument arrays, transactions through the connection, and Decimal128
 * and Double schema types keeping their BSON types. These pass against a real MongoDB replica set too.
 */
import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { testStoreUri } from './support/test-store.js';

describe('embedded store conformance: mongoose features', () => {
  const dbName = 'conf_mongoose_features';
  let conn: Connection;

  const roundSchema = new Schema({
    code: { type: String, required: true },
    seats: { type: Number, min: 0 },
    fee: Schema.Types.Decimal128,
    weight: Schema.Types.Double,
    attempts: [{ by: String, score: Number, at: Date }],
  });
  roundSchema.index({ code: 1 }, { unique: true });

  const roundModel = (c: Connection) => c.model('Round', roundSchema);
  let model: ReturnType<typeof roundModel>;

  before(async () => {
    conn = await mongoose.createConnection(await testStoreUri(), { dbName }).asPromise();
    await conn.dropDatabase();
    model = roundModel(conn);
  });

  after(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const Round = () => model;

  it('syncIndexes creates the declared indexes and drops one the schema no longer has', async () => {
    await Round().createCollection();
    await Round().collection.createIndex({ seats: 1 }, { name: 'seats_1' });
    const dropped = await Round().syncIndexes();
    expect(dropped).to.deep.equal(['seats_1']);
    const names = (await Round().collection.listIndexes().toArray()).map((i) => i.name as string);
    expect(names.sort()).to.deep.equal(['_id_', 'code_1']);
  });

  it('findOneAndUpdate with runValidators refuses an invalid value and changes nothing', async () => {
    await Round().create({ code: 'R1', seats: 3 });
    const error = await Round()
      .findOneAndUpdate({ code: 'R1' }, { $set: { seats: -1 } }, { runValidators: true })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(mongoose.Error.ValidationError);
    expect((await Round().findOne({ code: 'R1' }).lean())?.seats).to.equal(3);
  });

  it('pushes to and updates a subdocument array atomically, $ and arrayFilters alike', async () => {
    await Round().create({ code: 'R2' });
    await Round().updateOne({ code: 'R2' }, { $push: { attempts: { by: 'a', score: 40 } } });
    await Round().updateOne({ code: 'R2' }, { $push: { attempts: { by: 'b', score: 90 } } });
    await Round().updateOne({ code: 'R2', 'attempts.by': 'a' }, { $inc: { 'attempts.$.score': 20 } });
    await Round().updateOne(
      { code: 'R2' },
      { $set: { 'attempts.$[high].at': new Date(0) } },
      { arrayFilters: [{ 'high.score': { $gte: 60 } }] },
    );
    const round = await Round().findOne({ code: 'R2' }).lean();
    expect(round?.attempts.map((a): unknown[] => [a.by, a.score, a.at?.getTime()])).to.deep.equal([
      ['a', 60, 0],
      ['b', 90, 0],
    ]);
  });

  it('connection.transaction commits all or nothing', async () => {
    await conn.transaction(async (session) => {
      await Round().create([{ code: 'T1' }], { session });
      await Round().updateOne({ code: 'R1' }, { $inc: { seats: 1 } }, { session });
    });
    await conn
      .transaction(async (session) => {
        await Round().create([{ code: 'T2' }], { session });
        throw new Error('changed my mind');
      })
      .catch(() => undefined);
    const codes = (await Round().find({ code: /^T/ }).lean()).map((r) => r.code);
    expect(codes).to.deep.equal(['T1']);
    expect((await Round().findOne({ code: 'R1' }).lean())?.seats).to.equal(4);
  });

  it('Decimal128 and Double paths keep their BSON types in the database', async () => {
    await Round().create({ code: 'M', fee: '12.50', weight: 3 });
    const raw = await Round().collection.findOne({ code: 'M' }, { promoteValues: false });
    expect(raw?.fee).to.be.instanceOf(mongoose.Types.Decimal128);
    expect(String(raw?.fee)).to.equal('12.50');
    expect(raw?.weight).to.be.instanceOf(mongoose.mongo.Double);
    expect(await Round().countDocuments({ weight: { $type: 'double' } })).to.equal(1);
  });
});
