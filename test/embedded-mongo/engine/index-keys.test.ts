import { expect } from 'chai';
import { Long } from 'bson';
import { documentKeys } from '../../../src/embedded-mongo/engine/index-keys.js';
import {
  compareKeys,
  HIGHEST,
  KeyBound,
  LOWEST,
} from '../../../src/embedded-mongo/engine/index-key-order.js';
import { comparePaths } from '../../../src/embedded-mongo/engine/update-paths.js';

/** The keys an index takes from a document, their order, and the order updates visit paths in. */
describe('engine: index keys and path order', () => {
  const keys = (doc: object, fields: string[], sparse = false) => documentKeys(doc, fields, sparse, 'i');

  it('takes one key per array element (multikey), and one per combination on compound indexes', () => {
    expect(keys({ a: [1, 2, 2] }, ['a'])).to.deep.equal({ keys: [[1], [2]], multikey: true });
    expect(keys({ a: [1, 2], b: 'x' }, ['a', 'b']).keys).to.deep.equal([
      [1, 'x'],
      [2, 'x'],
    ]);
    expect(keys({ a: 5 }, ['a'])).to.deep.equal({ keys: [[5]], multikey: false });
    // Numerically equal elements are one key.
    expect(keys({ a: [1, Long.fromNumber(1)] }, ['a']).keys).to.have.length(1);
  });

  it('indexes a missing field, and an array element lacking the path, as null; an empty array as itself', () => {
    expect(keys({}, ['a']).keys).to.deep.equal([[null]]);
    expect(keys({ a: [{ b: 1 }, {}] }, ['a.b']).keys).to.deep.equal([[null], [1]]);
    expect(keys({ a: [] }, ['a']).keys).to.deep.equal([[[]]]);
    expect(keys({ a: { b: [3] } }, ['a.b']).keys).to.deep.equal([[3]]);
  });

  it('gives no key from a document lacking every field of a sparse index', () => {
    expect(keys({ other: 1 }, ['a', 'b'], true).keys).to.deep.equal([]);
    expect(keys({ b: 1 }, ['a', 'b'], true).keys).to.deep.equal([[null, 1]]);
  });

  it('refuses a document that would give more than 10,000 keys', () => {
    const wide = Array.from({ length: 101 }, (_, i) => i);
    expect(() => keys({ a: wide, b: wide }, ['a', 'b']))
      .to.throw()
      .with.property('code', 67);
  });

  it('orders key tuples by value part by part, with bounds around each type', () => {
    expect(compareKeys([1, 'b'], [1, 'c'])).to.be.below(0);
    expect(compareKeys([2], ['a'])).to.be.below(0);
    expect(compareKeys([LOWEST], [null])).to.be.below(0);
    expect(compareKeys([HIGHEST], [new Date()])).to.be.above(0);
    const numbersEnd = new KeyBound(3, true);
    expect(compareKeys([1e300], [numbersEnd])).to.be.below(0);
    expect(compareKeys(['a'], [numbersEnd])).to.be.above(0);
  });

  it('orders update paths by their parts: names by bytes, array indexes by number', () => {
    const paths = ['b', 'a.10', 'a.9', 'a', 'B', 'a.b', 'a0'];
    expect(paths.sort(comparePaths)).to.deep.equal(['B', 'a', 'a.9', 'a.10', 'a.b', 'a0', 'b']);
  });
});
