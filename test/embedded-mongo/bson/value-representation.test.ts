/**
 * How the store holds values in memory and computes with them: decoding from BSON (integral doubles
 * kept as Double, DBRefs as documents), the plain-number view mingo gets, own fields, and MongoDB's
 * arithmetic on numbers of mixed types.
 */
import { expect } from 'chai';
import { BSON, DBRef, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { decodeDocument } from '../../../src/embedded-mongo/bson/decode-document.js';
import {
  addDecimalStrings,
  canonicalExact,
  exactOfDouble,
  multiplyDecimalStrings,
} from '../../../src/embedded-mongo/bson/exact-decimal.js';
import { combineNumbers, zeroLike } from '../../../src/embedded-mongo/bson/number-arithmetic.js';
import { cloneDoc, ownField, setOwnField } from '../../../src/embedded-mongo/bson/own-fields.js';
import { plainValues, restoreDoubles } from '../../../src/embedded-mongo/bson/plain-values.js';

describe('value representation', () => {
  describe('decoding BSON', () => {
    const roundTrip = (doc: object) => decodeDocument(BSON.serialize(doc));

    it('keeps an integral double as a Double and gives every other number as a plain number or Long', () => {
      const doc = roundTrip({
        i: new Int32(7),
        d: new Double(7),
        f: 7.5,
        big: 3e9,
        neg0: -0,
        l: Long.fromNumber(7),
      });
      expect(doc.i).to.equal(7);
      expect(doc.d).to.be.instanceOf(Double);
      expect(doc.f).to.equal(7.5);
      expect(doc.big).to.equal(3e9);
      expect(Object.is(doc.neg0, -0)).to.equal(true);
      expect(doc.l).to.be.instanceOf(Long);
      expect(BSON.serialize(doc)).to.deep.equal(
        BSON.serialize({ i: 7, d: new Double(7), f: 7.5, big: 3e9, neg0: -0, l: Long.fromNumber(7) }),
      );
    });

    it('gives a DBRef as its document, extra fields and nested values included', () => {
      const id = new ObjectId();
      const doc = roundTrip({ refs: [new DBRef('users', id, 'other', { note: new Double(1) })] });
      expect(doc.refs).to.deep.equal([{ $ref: 'users', $id: id, $db: 'other', note: new Double(1) }]);
    });

    it('keeps __proto__ an own field at every level', () => {
      const doc = roundTrip(JSON.parse('{"a": {"__proto__": {"b": 1}}}') as object);
      expect(Object.hasOwn(doc.a as object, '__proto__')).to.equal(true);
      expect(ownField(doc.a as object, '__proto__')).to.deep.equal({ b: 1 });
    });
  });

  describe('the plain-number view', () => {
    it('replaces Doubles with numbers in a copy, sharing whatever holds none', () => {
      const untouched = { x: [1, 2] };
      const doc = { a: new Double(3), b: untouched, c: [new Double(4), 'x'] };
      const plain = plainValues(doc);
      expect(plain).to.deep.equal({ a: 3, b: { x: [1, 2] }, c: [4, 'x'] });
      expect(plain.b).to.equal(untouched);
      expect(doc.a).to.be.instanceOf(Double);
      expect(plainValues(untouched)).to.equal(untouched);
    });

    it('puts Doubles back where the result still holds the same number', () => {
      const original = { a: new Double(3), b: new Double(4), c: [new Double(5)] };
      const result = restoreDoubles(original, { a: 3, b: 9, c: [5], d: 3 }) as Record<string, unknown>;
      expect(result.a).to.be.instanceOf(Double);
      expect(result.b).to.equal(9);
      expect((result.c as unknown[])[0]).to.be.instanceOf(Double);
      expect(result.d).to.equal(3);
    });
  });

  describe('own fields', () => {
    it('sets __proto__ as a field without changing the prototype, and reads no inherited member', () => {
      const doc: Record<string, unknown> = {};
      setOwnField(doc, '__proto__', { polluted: true });
      expect(Object.getPrototypeOf(doc)).to.equal(Object.prototype);
      expect(ownField(doc, '__proto__')).to.deep.equal({ polluted: true });
      expect(ownField({}, 'constructor')).to.equal(undefined);
      expect(ownField({}, 'toString')).to.equal(undefined);
    });

    it('copies documents deeply, Dates too, and shares immutable BSON values', () => {
      const id = new ObjectId();
      const doc = { at: new Date(5), id, nested: JSON.parse('{"__proto__": [1]}') as object };
      const copy = cloneDoc(doc);
      expect(copy.at).not.to.equal(doc.at);
      expect(copy.at.getTime()).to.equal(5);
      expect(copy.id).to.equal(id);
      expect(Object.hasOwn(copy.nested, '__proto__')).to.equal(true);
      expect(copy.nested).not.to.equal(doc.nested);
    });
  });

  describe('arithmetic', () => {
    const kind = (v: unknown): string =>
      typeof v === 'number' ? 'number' : ((v as { _bsontype: string })._bsontype ?? typeof v);

    it('widens as MongoDB does: int, long, double, decimal', () => {
      const cases: [unknown, unknown, string, string][] = [
        [2, 3, 'number', '5'],
        [2147483647, 1, 'Long', '2147483648'],
        [Long.fromNumber(2), 3, 'Long', '5'],
        [Long.fromNumber(2), new Double(3), 'Double', '5'],
        [2, 0.5, 'number', '2.5'],
        [Decimal128.fromString('0.1'), 0.2, 'Decimal128', '0.3'],
        [Long.MAX_VALUE, 1, 'number', String(2 ** 63)],
      ];
      for (const [a, b, type, value] of cases) {
        const sum = combineNumbers(a, b, 'add');
        expect(kind(sum), `${String(a)} + ${String(b)}`).to.equal(type);
        expect(String(sum)).to.equal(value);
      }
      expect(String(combineNumbers(Decimal128.fromString('1.5'), Long.fromNumber(4), 'multiply'))).to.equal(
        '6.0',
      );
      expect(kind(combineNumbers(new Double(1.5), 2, 'multiply'))).to.equal('Double');
    });

    it('gives zero of the operand’s type for a missing field', () => {
      expect(zeroLike(5)).to.equal(0);
      expect(zeroLike(new Double(5))).to.deep.equal(new Double(0));
      expect(zeroLike(1.5)).to.deep.equal(new Double(0));
      expect(zeroLike(Long.fromNumber(5))).to.deep.equal(Long.ZERO);
      expect(String(zeroLike(Decimal128.fromString('5')))).to.equal('0');
    });

    it('adds and multiplies decimals exactly, exponents and signs included', () => {
      expect(addDecimalStrings('0.1', '0.2')).to.equal('0.3');
      expect(addDecimalStrings('-1.25', '1E+2')).to.equal('98.75');
      expect(addDecimalStrings('1.5', '-1.5')).to.equal('0.0');
      expect(multiplyDecimalStrings('1.5', '2')).to.equal('3.0');
      expect(multiplyDecimalStrings('-0.01', '0.3')).to.equal('-0.003');
    });

    it('writes a double’s exact binary value in decimal', () => {
      expect(canonicalExact(exactOfDouble(0.5))).to.equal('0.5');
      expect(canonicalExact(exactOfDouble(0.1))).to.equal(
        '0.1000000000000000055511151231257827021181583404541015625',
      );
      expect(canonicalExact(exactOfDouble(-2.75))).to.equal('-2.75');
      expect(canonicalExact(exactOfDouble(3))).to.equal('3');
    });
  });
});
