import { expect } from 'chai';
import { tempEngine } from '../support/temp-engine.js';

describe('engine: update semantics beyond mingo', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  const one = (filter: object) => t.engine.find('d', 'c', { filter })[0];

  it('seeds an upsert from equality, $eq, $and and dotted paths, and applies $setOnInsert only on insert', () => {
    const r = t.engine.update(
      'd',
      'c',
      [
        {
          q: {
            k: 'a',
            n: { $eq: 2 },
            $and: [{ 'p.q': 1 }, { 'p.r': 'x' }],
            g: { $gt: 5 },
            one: { $in: ['only'] },
          },
          u: { $set: { s: 1 }, $setOnInsert: { created: 'yes' } },
          upsert: true,
        },
      ],
      true,
    );
    expect(r.upserted).to.have.length(1);
    const doc = one({ k: 'a' })!;
    expect(doc).to.deep.include({ k: 'a', n: 2, p: { q: 1, r: 'x' }, one: 'only', s: 1, created: 'yes' });
    expect(doc).to.not.have.property('g');
    t.engine.update(
      'd',
      'c',
      [{ q: { k: 'a' }, u: { $set: { s: 2 }, $setOnInsert: { created: 'again' } }, upsert: true }],
      true,
    );
    expect(one({ k: 'a' })).to.deep.include({ s: 2, created: 'yes' });
  });

  it('allows $set of an unchanged _id and rejects a changed one with code 66', () => {
    t.engine.insert('d', 'c', [{ _id: 'sid', v: 1 }], true);
    const ok = t.engine.update('d', 'c', [{ q: { _id: 'sid' }, u: { $set: { _id: 'sid', v: 2 } } }], true);
    expect(ok).to.include({ n: 1, nModified: 1 });
    const bad = t.engine.update('d', 'c', [{ q: { _id: 'sid' }, u: { $set: { _id: 'other' } } }], true);
    expect(bad.writeErrors[0]).to.include({
      code: 66,
      errmsg: "Performing an update on the path '_id' would modify the immutable field '_id'",
    });
    const replace = t.engine.update('d', 'c', [{ q: { _id: 'sid' }, u: { _id: 'x', v: 9 } }], true);
    expect(replace.writeErrors[0]).to.include({ code: 66 });
    expect(one({ _id: 'sid' })).to.deep.equal({ _id: 'sid', v: 2 });
  });

  it('upserts with $set of _id as connect-mongo does', () => {
    t.engine.update(
      'd',
      'c',
      [{ q: { _id: 's1' }, u: { $set: { _id: 's1', session: '{}' } }, upsert: true }],
      true,
    );
    expect(one({ _id: 's1' })).to.deep.equal({ _id: 's1', session: '{}' });
  });

  it('replaces a document, keeping its _id', () => {
    t.engine.insert('d', 'c', [{ _id: 1, a: 1, b: 2 }], true);
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { c: 3 } }], true);
    expect(one({ _id: 1 })).to.deep.equal({ _id: 1, c: 3 });
  });

  it('updates the matched array element with the positional $ operator', () => {
    t.engine.insert(
      'd',
      'c',
      [
        {
          _id: 1,
          items: [
            { k: 'a', n: 1 },
            { k: 'b', n: 1 },
          ],
        },
      ],
      true,
    );
    t.engine.update('d', 'c', [{ q: { _id: 1, 'items.k': 'b' }, u: { $inc: { 'items.$.n': 5 } } }], true);
    expect(one({ _id: 1 })!.items).to.deep.equal([
      { k: 'a', n: 1 },
      { k: 'b', n: 6 },
    ]);
  });

  it('applies arrayFilters', () => {
    t.engine.insert('d', 'c', [{ _id: 1, grades: [50, 90, 95] }], true);
    t.engine.update(
      'd',
      'c',
      [{ q: { _id: 1 }, u: { $set: { 'grades.$[g]': 100 } }, arrayFilters: [{ g: { $gte: 90 } }] }],
      true,
    );
    expect(one({ _id: 1 })!.grades).to.deep.equal([50, 100, 100]);
  });

  it('applies pipeline updates', () => {
    t.engine.insert('d', 'c', [{ _id: 1, a: 2, b: 3 }], true);
    t.engine.update(
      'd',
      'c',
      [{ q: { _id: 1 }, u: [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }] }],
      true,
    );
    expect(one({ _id: 1 })).to.deep.equal({ _id: 1, a: 2, sum: 5 });
  });

  it('never mutates a stored document in place: a reference held by a reader keeps its old value', () => {
    t.engine.insert('d', 'c', [{ _id: 1, a: { b: 1 }, list: [1] }], true);
    const held = one({ _id: 1 })!;
    t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $set: { 'a.b': 2 }, $push: { list: 2 } } }], true);
    expect(held).to.deep.equal({ _id: 1, a: { b: 1 }, list: [1] });
    expect(one({ _id: 1 })).to.deep.equal({ _id: 1, a: { b: 2 }, list: [1, 2] });
  });

  it('findAndModify returns the old or new document and upserts', () => {
    t.engine.insert('d', 'c', [{ _id: 1, n: 1 }], true);
    const old = t.engine.findAndModify('d', 'c', { query: { _id: 1 }, update: { $inc: { n: 1 } } });
    expect(old.value).to.deep.equal({ _id: 1, n: 1 });
    const fresh = t.engine.findAndModify('d', 'c', {
      query: { _id: 1 },
      update: { $inc: { n: 1 } },
      new: true,
    });
    expect(fresh.value).to.deep.equal({ _id: 1, n: 3 });
    expect(fresh.lastErrorObject).to.deep.equal({ n: 1, updatedExisting: true });
    const up = t.engine.findAndModify('d', 'c', {
      query: { _id: 2 },
      update: { $set: { n: 0 } },
      upsert: true,
      new: true,
    });
    expect(up.value).to.deep.equal({ _id: 2, n: 0 });
    expect(up.lastErrorObject).to.deep.include({ n: 1, updatedExisting: false, upserted: 2 });
    const removed = t.engine.findAndModify('d', 'c', { query: {}, sort: { _id: -1 }, remove: true });
    expect(removed.value).to.deep.equal({ _id: 2, n: 0 });
  });

  it('applies the common operators like MongoDB, falling back to mingo for modifiers and conflicts', () => {
    t.engine.insert(
      'd',
      'c',
      [{ _id: 1, n: 5, tags: ['a'], arr: [1, 2, 3], o: { x: 1, y: 2 }, list: [1, 2, 3] }],
      true,
    );
    const r = t.engine.update(
      'd',
      'c',
      [
        {
          q: { _id: 1 },
          u: {
            $min: { n: 3, fresh: 7 },
            $max: { big: 1 },
            $addToSet: { tags: { $each: ['a', 'b', 'b'] } },
            $set: { 'arr.1': 20, 'deep.er.path': true },
            $unset: { 'o.x': '' },
            $push: { list: { $each: [4, 5], $slice: -3 } },
          },
        },
      ],
      true,
    );
    expect(r.writeErrors).to.deep.equal([]);
    expect(one({ _id: 1 })).to.deep.equal({
      _id: 1,
      n: 3,
      tags: ['a', 'b'],
      arr: [1, 20, 3],
      o: { y: 2 },
      list: [3, 4, 5],
      fresh: 7,
      big: 1,
      deep: { er: { path: true } },
    });
    const conflict = t.engine.update(
      'd',
      'c',
      [{ q: { _id: 1 }, u: { $set: { o: 1 }, $inc: { 'o.y': 1 } } }],
      true,
    );
    expect(conflict.writeErrors[0]).to.include({ code: 40 });
    const notNumber = t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $inc: { tags: 1 } } }], true);
    expect(notNumber.writeErrors[0]).to.include({ code: 14 });
  });

  it('fails array operators on a non-array field with BadValue and leaves the document as it was', () => {
    t.engine.insert('d', 'c', [{ _id: 1, n: 3, s: 'x' }], true);
    const push = t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $push: { n: 4 } } }], true);
    expect(push.writeErrors[0]).to.include({ code: 2 });
    expect(push.writeErrors[0]!.errmsg).to.contain("The field 'n' must be an array");
    const pull = t.engine.update('d', 'c', [{ q: { _id: 1 }, u: { $pull: { s: 'x' } } }], true);
    expect(pull.writeErrors[0]).to.include({ code: 2 });
    expect(one({ _id: 1 })).to.deep.equal({ _id: 1, n: 3, s: 'x' });
  });
});
