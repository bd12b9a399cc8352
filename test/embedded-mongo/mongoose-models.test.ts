import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { testStoreUri } from './support/test-store.js';

describe('embedded store conformance: mongoose models', () => {
  const dbName = 'conf_mongoose';
  let conn: Connection;

  const memberSchema = new Schema({
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, minlength: 2 },
    roles: { type: [String], default: ['member'] },
    points: { type: Number, default: 0 },
  });

  const noteSchema = new Schema({ text: String, author: { type: Schema.Types.ObjectId, ref: 'Member' } });
  const modelsOf = (c: Connection) => ({
    Member: c.model('Member', memberSchema),
    Note: c.model('Note', noteSchema),
  });
  let models: ReturnType<typeof modelsOf>;

  before(async () => {
    conn = await mongoose.createConnection(await testStoreUri(), { dbName }).asPromise();
    await conn.dropDatabase();
    models = modelsOf(conn);
  });

  after(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  const Member = () => models.Member;

  it('creates the unique index the schema declares', async () => {
    await Member().init();
    const indexes = await Member().collection.listIndexes().toArray();
    const email = indexes.find((i) => i.name === 'email_1');
    expect(email?.unique).to.equal(true);
  });

  it('saves, finds by id and by field, applying defaults and setters', async () => {
    const created = await Member().create({ email: '  Amina@Example.org ', name: 'Amina' });
    const byId = await Member().findById(created._id).lean();
    expect(byId?.email).to.equal('amina@example.org');
    expect(byId?.roles).to.deep.equal(['member']);
    const byField = await Member().findOne({ email: 'amina@example.org' }).lean();
    expect(String(byField?._id)).to.equal(String(created._id));
  });

  it('a validation error stores nothing', async () => {
    const before = await Member().countDocuments();
    let caught: unknown;
    try {
      await Member().create({ email: 'short@example.org', name: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(mongoose.Error.ValidationError);
    expect(Object.keys((caught as mongoose.Error.ValidationError).errors)).to.deep.equal(['name']);
    expect(await Member().countDocuments()).to.equal(before);
  });

  it('a duplicate on the unique field fails with E11000 naming the index and value', async () => {
    await Member().init();
    await Member().create({ email: 'dup@example.org', name: 'First' });
    let caught: unknown;
    try {
      await Member().create({ email: 'DUP@example.org', name: 'Second' });
    } catch (error) {
      caught = error;
    }
    const error = caught as { code?: number; keyValue?: unknown; keyPattern?: unknown; message?: string };
    expect(error?.code).to.equal(11000);
    expect(error.keyPattern).to.deep.equal({ email: 1 });
    expect(error.keyValue).to.deep.equal({ email: 'dup@example.org' });
    expect(error.message).to.include(
      'E11000 duplicate key error collection: conf_mongoose.members index: email_1',
    );
    expect(await Member().countDocuments({ email: 'dup@example.org' })).to.equal(1);
  });

  it('updates with operators, upserts and returns the new document', async () => {
    const m = await Member().create({ email: 'up@example.org', name: 'Up' });
    await Member().updateOne({ _id: m._id }, { $inc: { points: 5 }, $addToSet: { roles: 'trainer' } });
    const after = await Member()
      .findOneAndUpdate({ _id: m._id }, { $inc: { points: 1 } }, { returnDocument: 'after' })
      .lean();
    expect(after?.points).to.equal(6);
    expect(after?.roles).to.deep.equal(['member', 'trainer']);
    const upserted = await Member()
      .findOneAndUpdate(
        { email: 'new@example.org' },
        { $setOnInsert: { name: 'Newcomer' } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean();
    expect(upserted?.name).to.equal('Newcomer');
    expect(upserted?.points).to.equal(0);
  });

  it('a document saved, changed and saved again keeps its _id and a growing version key', async () => {
    const doc = await Member().create({ email: 'ver@example.org', name: 'Version' });
    doc.roles.push('coordinator');
    await doc.save();
    const stored = await Member().findById(doc._id).lean();
    expect(stored?.roles).to.deep.equal(['member', 'coordinator']);
    expect((stored as { __v?: number } | null)?.__v).to.equal(1);
  });

  it('populate resolves references across collections', async () => {
    const Note = models.Note;
    const author = await Member().create({ email: 'pop@example.org', name: 'Populated' });
    await Note.create({ text: 'hello', author: author._id });
    const note = await Note.findOne({ text: 'hello' })
      .populate<{ author: { name: string } }>('author')
      .lean();
    expect(note?.author.name).to.equal('Populated');
  });

  it('deleteMany and countDocuments through the model', async () => {
    await Member().create([
      { email: 'd1@example.org', name: 'Del one' },
      { email: 'd2@example.org', name: 'Del two' },
    ]);
    const result = await Member().deleteMany({ email: /^d\d@/ });
    expect(result.deletedCount).to.equal(2);
    expect(await Member().countDocuments({ email: /^d\d@/ })).to.equal(0);
  });
});
