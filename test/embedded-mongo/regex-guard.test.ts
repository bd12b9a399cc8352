/**
 * Query patterns run on RE2 in linear time, so the classic catastrophic patterns answer at once. Only
 * patterns RE2 cannot express (back-references, look-around) and the aggregation regex operators run on
 * JavaScript's backtracking engine in the store's one worker thread, where nothing can interrupt them;
 * those are refused before they run when they have nested repetition. Embedded store only: MongoDB
 * bounds such work its own way (a match limit), with errors of its own.
 */
import { expect } from 'chai';
import { MongoClient, type Collection, type Document } from 'mongodb';
import {
  expectServerError,
  startPrivateStore,
  usingRealMongo,
  type PrivateStore,
} from './support/conformance-db.js';

const EVIL = '^(a+)+$';
// A back-reference keeps this one off RE2, so it would run on the backtracking engine.
const EVIL_BACKTRACKING_ONLY = '^((a+)+)\\1$';
// 31 a's and a b: with nested repetition the backtracking engine needs about 2^31 steps to give up.
const VICTIM = `${'a'.repeat(31)}b`;

(usingRealMongo() ? describe.skip : describe)(
  'embedded store: regular expressions with nested repetition (embedded store only)',
  function () {
    let priv: PrivateStore;
    let client: MongoClient;
    let coll: Collection<Document>;

    before(async function () {
      priv = await startPrivateStore();
      client = await MongoClient.connect(priv.store.uri);
      coll = client.db('regex_guard').collection('names');
      await coll.insertMany([{ s: VICTIM }, { s: 'abbbc' }, { s: 'ababab' }]);
    });

    after(async function () {
      await client?.close();
      await priv?.close();
    });

    it('run on RE2 in queries and answer at once: (a|a)*b against 40 a’s, ^(a+)+$ in every place', async function () {
      await coll.insertOne({ s: 'a'.repeat(40) });
      const started = Date.now();
      expect(await coll.countDocuments({ s: { $regex: '(a|a)*b' } })).to.equal(3);
      expect(await coll.countDocuments({ s: { $regex: '^(a|a)*b$' } })).to.equal(1);
      expect(await coll.countDocuments({ s: { $regex: EVIL } })).to.equal(1);
      expect(await coll.countDocuments({ s: new RegExp(EVIL) })).to.equal(1);
      expect(await coll.countDocuments({ s: { $in: [/x/, new RegExp(EVIL)] } })).to.equal(1);
      expect(await coll.countDocuments({ s: { $not: new RegExp(EVIL) } })).to.equal(3);
      expect(await coll.countDocuments({ $and: [{ s: { $regex: '(x*)*y', $options: 'i' } }] })).to.equal(0);
      expect(await coll.aggregate([{ $match: { s: { $regex: EVIL } } }]).toArray()).to.have.length(1);
      expect(Date.now() - started).to.be.below(1_000);
      await coll.deleteOne({ s: 'a'.repeat(40) });
    });

    it('are refused with BadValue where they would run on the backtracking engine, quickly, and the store keeps serving', async function () {
      const started = Date.now();
      const attempts: (() => Promise<unknown>)[] = [
        () => coll.find({ s: { $regex: EVIL_BACKTRACKING_ONLY } }).toArray(),
        () => coll.find({ s: new RegExp(EVIL_BACKTRACKING_ONLY) }).toArray(),
        () => coll.find({ s: { $in: [/x/, new RegExp(EVIL_BACKTRACKING_ONLY)] } }).toArray(),
        () => coll.updateMany({ s: { $regex: EVIL_BACKTRACKING_ONLY } }, { $set: { hit: true } }),
        () => coll.deleteMany({ s: { $regex: EVIL_BACKTRACKING_ONLY } }),
        () => coll.aggregate([{ $project: { m: { $regexMatch: { input: '$s', regex: EVIL } } } }]).toArray(),
      ];
      for (const attempt of attempts) {
        const error = await expectServerError(attempt(), 2);
        expect(error.message).to.include('nested repetition');
      }
      expect(Date.now() - started).to.be.below(5_000);
      // Nothing was written by the refused update or delete, and the connection still works.
      expect(await coll.countDocuments({ hit: true })).to.equal(0);
      expect(await coll.countDocuments()).to.equal(3);
    });

    it('still runs ordinary patterns, including single repetition of a group, and reports invalid ones as MongoDB does', async function () {
      expect(
        (await coll.find({ s: { $regex: '^ab+c$' } }).toArray()).map((d) => d.s as string),
      ).to.deep.equal(['abbbc']);
      expect((await coll.find({ s: /^(ab)+$/ }).toArray()).map((d) => d.s as string)).to.deep.equal([
        'ababab',
      ]);
      expect(await coll.countDocuments({ s: { $regex: '^A', $options: 'i' } })).to.equal(3);
      await expectServerError(coll.find({ s: { $regex: '(' } }).toArray(), 51091);
    });
  },
);
