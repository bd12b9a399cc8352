/**
 * MongoDB's order and equality of values, as the store's sort, range queries, index keys and
 * distinct rely on them (the BSON comparison order of MongoDB's manual).
 */
import { expect } from 'chai';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import {
  compareStrings,
  compareValues,
  valuesEqual,
} from '../../../src/embedded-mongo/bson/compare-values.js';
import { exactlyEqual } from '../../../src/embedded-mongo/bson/exactly-equal.js';
import { bsonTypeName } from '../../../src/embedded-mongo/bson/type-order.js';
import { encodeKey } from '../../../src/embedded-mongo/bson/value-keys.js';

const sign = (n: number) => Math.sign(n);

describe('value order and equality', () => {
  it('orders types as MongoDB does: MinKey, null, numbers, strings, objects, arrays, binary, ObjectId, booleans, dates, timestamps, regexes, MaxKey', () => {
    const ascending: unknown[] = [
      new MinKey(),
      null,
      -1,
      'a',
      { a: 1 },
      [1],
      new Binary(Buffer.from([1])),
      new ObjectId('000000000000000000000001'),
      false,
      new Date(0),
      new Timestamp({ t: 1, i: 1 }),
      /a/,
      new MaxKey(),
    ];
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        expect(sign(compareValues(ascending[i], ascending[j])), `${i} vs ${j}`).to.equal(sign(i - j));
      }
    }
  });

  it('compares numbers of every type by value, exactly past 2^53', () => {
    expect(compareValues(new Int32(2), 2.5)).to.equal(-1);
    expect(compareValues(Long.fromString('9007199254740993'), 9007199254740992)).to.equal(1);
    // The double 0.1 is 0.1000000000000000055511...: MongoDB holds it above the decimal 0.1.
    expect(compareValues(Decimal128.fromString('0.1'), 0.1)).to.equal(-1);
    expect(compareValues(Decimal128.fromString('0.5'), 0.5)).to.equal(0);
    expect(compareValues(Decimal128.fromString('2.50'), Decimal128.fromString('2.5'))).to.equal(0);
    expect(compareValues(Decimal128.fromString('1E+3'), 1000)).to.equal(0);
    expect(compareValues(Decimal128.fromString('-Infinity'), -1e308)).to.equal(-1);
    expect(compareValues(new Double(3), Long.fromNumber(3))).to.equal(0);
    expect(compareValues(NaN, -Infinity)).to.equal(-1);
    expect(compareValues(NaN, NaN)).to.equal(0);
  });

  it('orders binary data by length, then subtype, then bytes', () => {
    const short = new Binary(Buffer.from([9]), 4);
    const longer = new Binary(Buffer.from([0, 0]), 0);
    expect(compareValues(short, longer)).to.equal(-1);
    expect(compareValues(new Binary(Buffer.from([9]), 0), new Binary(Buffer.from([1]), 4))).to.equal(-1);
    expect(compareValues(new Binary(Buffer.from([1, 2])), new Binary(Buffer.from([1, 3])))).to.equal(-1);
  });

  it('compares documents field by field: the value’s type first, then the name, then the value', () => {
    expect(compareValues({ a: 1 }, { a: 'x' })).to.equal(-1);
    expect(compareValues({ b: 1 }, { a: 'x' })).to.equal(-1);
    expect(compareValues({ a: 1 }, { b: 1 })).to.equal(-1);
    expect(compareValues({ a: 1 }, { a: 1, b: 0 })).to.equal(-1);
    expect(compareValues([1, 2], [1, 2, 0])).to.equal(-1);
    expect(compareValues([2], [1, 9])).to.equal(1);
  });

  it('compares strings by code point, as their UTF-8 bytes compare', () => {
    const emoji = '\u{1F600}';
    const presentationForm = '\uFB50';
    expect(emoji < presentationForm).to.equal(true); // UTF-16 code units say the opposite
    expect(compareStrings(emoji, presentationForm)).to.equal(1);
    expect(compareStrings('abc', 'abd')).to.equal(-1);
    expect(compareStrings(`x${emoji}`, 'x')).to.equal(1);
  });

  it('regular expressions compare by pattern, then flags, whichever way they are written', () => {
    expect(compareValues(/a/i, new BSONRegExp('a', 'i'))).to.equal(0);
    expect(compareValues(/a/, /b/)).to.equal(-1);
    expect(compareValues(/a/i, /a/m)).to.equal(-1);
  });

  it('keys values equal exactly when MongoDB holds them equal', () => {
    const same = [1, new Int32(1), new Double(1), Long.fromNumber(1), Decimal128.fromString('1.0')];
    expect(new Set(same.map(encodeKey)).size).to.equal(1);
    expect(encodeKey(-0)).to.equal(encodeKey(0));
    expect(encodeKey(NaN)).to.equal(encodeKey(Decimal128.fromString('NaN')));
    expect(encodeKey('1')).not.to.equal(encodeKey(1));
    expect(encodeKey(Decimal128.fromString('0.1'))).not.to.equal(encodeKey(0.1));
    expect(encodeKey(Decimal128.fromString('0.50'))).to.equal(encodeKey(0.5));
    expect(encodeKey(Decimal128.fromString('0.10'))).to.equal(encodeKey(Decimal128.fromString('0.1')));
    expect(encodeKey({ a: 1, b: 2 })).not.to.equal(encodeKey({ b: 2, a: 1 }));
    expect(encodeKey(Long.fromString('9007199254740993'))).not.to.equal(encodeKey(9007199254740992));
    expect(valuesEqual([1, 'a'], [new Double(1), 'a'])).to.equal(true);
  });

  it('exact equality also requires the same types and field order', () => {
    expect(exactlyEqual({ a: 1, b: [new Double(2)] }, { a: 1, b: [new Double(2)] })).to.equal(true);
    expect(exactlyEqual({ a: 5 }, { a: new Double(5) })).to.equal(false);
    expect(exactlyEqual({ a: 0 }, { a: -0 })).to.equal(false);
    expect(exactlyEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).to.equal(false);
    expect(exactlyEqual(new Date(5), new Date(5))).to.equal(true);
    expect(exactlyEqual({ a: NaN }, { a: NaN })).to.equal(true);
    expect(exactlyEqual([1], { 0: 1 })).to.equal(false);
  });

  it('names types as MongoDB’s messages do', () => {
    const names = [1, 1.5, new Double(2), Long.fromNumber(1), 'x', [], {}, null, true, new Date(), /x/];
    expect(names.map(bsonTypeName)).to.deep.equal([
      'int',
      'double',
      'double',
      'long',
      'string',
      'array',
      'object',
      'null',
      'bool',
      'date',
      'regex',
    ]);
  });
});
