/**
 * The embedded store runs regular expressions on JavaScript's backtracking engine in one worker thread,
 * where nothing can interrupt them; patterns with nested repetition are refused before they run, so one
 * careless query cannot stall every client. Embedded store only: MongoDB bounds such work itself.
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

    it('are refused with BadValue in every place a pattern can appear, quickly, and the store keeps serving', async function () {
      const started = Date.now();
      const attempts: (() => Promise<unknown>)[] = [
        () => coll.find({ s: { $regex: EVIL } }).toArray(),
        () => coll.find({ s: new RegExp(EVIL) }).toArray(),
        () => coll.find({ s: { $in: [/x/, new RegExp(EVIL)] } }).toArray(),
        () => coll.find({ s: { $not: new RegExp(EVIL) } }).toArray(),
        () => coll.countDocuments({ $and: [{ s: { $regex: '(x*)*y', $options: 'i' } }] }),
        () => coll.updateMany({ s: { $regex: EVIL } }, { $set: { hit: true } }),
        () => coll.deleteMany({ s: { $regex: EVIL } }),
        () => coll.aggregate([{ $match: { s: { $regex: EVIL } } }]).toArray(),
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
