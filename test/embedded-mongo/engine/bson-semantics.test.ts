import { expect } from 'chai';
import { Binary, DBRef, Decimal128, Double, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { tempEngine } from '../support/temp-engine.js';

describe('engine: MongoDB value semantics for bson types', () => {
  let t: ReturnType<typeof tempEngine>;
  beforeEach(() => {
    t = tempEngine();
  });
  afterEach(() => t.cleanup());

  it('sorts across types in MongoDB order', () => {
    const oid = new ObjectId();
    const values: [string, unknown][] = [
      ['maxkey', new MaxKey()],
      ['regex', /a/],
      ['ts', new Timestamp({ t: 1, i: 1 })],
      ['date', new Date(0)],
      ['bool', true],
      ['oid', oid],
      ['bin', new Binary(Buffer.from('x'))],
      ['array', [0]],
      ['object', { a: 1 }],
      ['string', 'a'],
      ['number', 5],
      ['null', null],
      ['minkey', new MinKey()],
    ];
    t.engine.insert(
      'd',
      'c',
      values.map(([name, v]) => ({ name, v })),
      true,
    );
    t.engine.insert('d', 'c', [{ name: 'missing' }], true);
    const names = t.engine.find('d', 'c', { sort: { v: 1 } }).map((d) => d.name as string);
    // An array sorts by its smallest element (0), so it lands among the numbers, before 5.
    expect(names).to.deep.equal([
      'minkey',
      'null',
      'missing',
      'array',
      'number',
      'string',
      'object',
      'bin',
      'oid',
      'bool',
      'date',
      'ts',
      'regex',
      'maxkey',
    ]);
  });

  it('sorts numbers of different types by value, and arrays by min ascending and max descending', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 'long', v: Long.fromNumber(3) },
        { _id: 'dec', v: Decimal128.fromString('2.5') },
        { _id: 'int', v: 1 },
        { _id: 'arr', v: [0, 10] },
      ],
      true,
    );
    expect(t.engine.find('d', 'c', { sort: { v: 1 } }).map((d) => d._id as unknown)).to.deep.equal([
      'arr',
      'int',
      'dec',
      'long',
    ]);
    expect(t.engine.find('d', 'c', { sort: { v: -1 } }).map((d) => d._id as unknown)).to.deep.equal([
      'arr',
      'long',
      'dec',
      'int',
    ]);
  });

  it('matches numerically equal values across Int/Long/Decimal128', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, v: 1 },
        { _id: 2, v: Long.fromNumber(1) },
        { _id: 3, v: Decimal128.fromString('1.0') },
        { _id: 4, v: 2 },
      ],
      true,
    );
    expect(
      t.engine.find('d', 'c', { filter: { v: Long.fromNumber(1) } }).map((d) => d._id as unknown),
    ).to.deep.equal([1, 2, 3]);
    expect(t.engine.find('d', 'c', { filter: { v: { $in: [Decimal128.fromString('1')] } } })).to.have.length(
      3,
    );
    expect(t.engine.find('d', 'c', { filter: { v: { $ne: 1 } } }).map((d) => d._id as unknown)).to.deep.equal(
      [4],
    );
  });

  it('compares Decimal128 and Long ranges by value, not as strings', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 1, price: Decimal128.fromString('9.5') },
        { _id: 2, price: Decimal128.fromString('10.25') },
        { _id: 3, price: Decimal128.fromString('100') },
        { _id: 4, big: Long.fromString('9007199254740993') },
        { _id: 5, big: Long.fromString('9007199254740992') },
      ],
      true,
    );
    const range = t.engine.find('d', 'c', {
      filter: { price: { $gt: Decimal128.fromString('9.9'), $lt: 101 } },
    });
    expect(range.map((d) => d._id as unknown)).to.deep.equal([2, 3]);
    const big = t.engine.find('d', 'c', { filter: { big: { $gt: Long.fromString('9007199254740992') } } });
    expect(big.map((d) => d._id as unknown)).to.deep.equal([4]);
  });

  it('$inc keeps Long as Long and Decimal128 as Decimal128, exactly', () => {
    t.engine.insert(
      'd',
      'c',
      [{ _id: 1, l: Long.fromString('9007199254740993'), d: Decimal128.fromString('0.1'), i: 2147483647 }],
      true,
    );
    t.engine.update(
      'd',
      'c',
      [{ q: { _id: 1 }, u: { $inc: { l: 1, d: Decimal128.fromString('0.2'), i: 1 } } }],
      true,
    );
    const doc = t.engine.find('d', 'c', { filter: { _id: 1 } })[0]!;
    expect(doc.l).to.be.instanceOf(Long);
    expect((doc.l as Long).toString()).to.equal('9007199254740994');
    expect(doc.d).to.be.instanceOf(Decimal128);
    expect((doc.d as Decimal128).toString()).to.equal('0.3');
    // An int32 that overflows becomes a long, as MongoDB's $inc widens it (a double would lose exactness).
    expect(doc.i).to.be.instanceOf(Long);
    expect((doc.i as Long).toString()).to.equal('2147483648');
  });

  it('$sum in $group adds Long and Decimal128 keeping the wider type', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { g: 1, v: Decimal128.fromString('1.1') },
        { g: 1, v: Decimal128.fromString('2.2') },
        { g: 2, v: Long.fromNumber(5) },
        { g: 2, v: 7 },
      ],
      true,
    );
    const out = t.engine.aggregate('d', 'c', [
      { $group: { _id: '$g', total: { $sum: '$v' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(String(out[0]!.total)).to.equal('3.3');
    expect(out[0]!.total).to.be.instanceOf(Decimal128);
    expect(out[1]!.total).to.be.instanceOf(Long);
    expect(String(out[1]!.total)).to.equal('12');
  });

  it('understands $type aliases and numeric codes', () => {
    t.engine.insert(
      'd',
      'c',
      [
        { _id: 'oid', v: new ObjectId() },
        { _id: 'long', v: Long.fromNumber(1) },
        { _id: 'dec', v: Decimal128.fromString('1') },
        { _id: 'date', v: new Date() },
        { _id: 'bool', v: false },
        { _id: 'int', v: 3 },
        { _id: 'double', v: 3.5 },
        { _id: 'str', v: 's' },
      ],
      true,
    );
    const ids = (type: unknown) =>
      t.engine.find('d', 'c', { filter: { v: { $type: type } } }).map((d) => d._id as unknown);
    expect(ids('objectId')).to.deep.equal(['oid']);
    expect(ids('long')).to.deep.equal(['long']);
    expect(ids('decimal')).to.deep.equal(['dec']);
    expect(ids('date')).to.deep.equal(['date']);
    expect(ids('bool')).to.deep.equal(['bool']);
    expect(ids('int')).to.deep.equal(['int']);
    expect(ids('double')).to.deep.equal(['double']);
    expect(ids(7)).to.deep.equal(['oid']);
    expect(ids(2)).to.deep.equal(['str']);
    expect(ids('number')).to.deep.equal(['long', 'dec', 'int', 'double']);
    expect(ids(['string', 'bool'])).to.deep.equal(['bool', 'str']);
  });

  it('keeps Long and Decimal128 types across a reopen', async () => {
    t.engine.insert('d', 'c', [{ _id: 1, l: Long.fromNumber(7), d: Decimal128.fromString('1.50') }], true);
    await t.engine.whenDurable();
    const doc = t.reopen().find('d', 'c', {})[0]!;
    expect(doc.l).to.be.instanceOf(Long);
    expect(doc.d).to.be.instanceOf(Decimal128);
    expect(String(doc.d)).to.equal('1.50');
  });

  it('keeps an integral double a Double across a reopen, and DBRefs as documents with $ref and $id', async () => {
    const ref = new DBRef('users', 5 as never, 'other');
    t.engine.insert('d', 'c', [{ _id: 1, n: new Double(3), i: 3, ref }], true);
    await t.engine.whenDurable();
    const doc = t.reopen().find('d', 'c', { filter: { n: { $type: 'double' }, i: { $type: 'int' } } })[0]!;
    expect(doc.n).to.be.instanceOf(Double);
    expect(doc.i).to.equal(3);
    expect(doc.ref).to.deep.equal({ $ref: 'users', $id: 5, $db: 'other' });
  });
});
