import { isPlainDocument, ownField } from '../bson/own-fields.js';

/**
 * The values a query condition on a dotted path sees in a document, read as MongoDB's matcher reads
 * them (its ElementPath iterator), and nothing else: every operator tests each value the path yields
 * and a condition holds when one of them passes.
 *
 *  - Fields are followed through subdocuments; a field that is absent, or a scalar the path would
 *    have to go through, yields one missing value (`undefined`): `{'a.b': null}` matches `{a: 1}`.
 *  - An array met before the path ends is traversed: each subdocument element continues the path and
 *    yields its own values (a missing one included), scalars and nested arrays yield nothing, and an
 *    empty array yields nothing at all. So the path then yields no value, which is neither null nor
 *    missing: `{'a.b': null}` and `{'a.0': {$exists: true}}` both fail on `{a: []}`, and their
 *    negations ($ne, $exists: false) hold.
 *  - A numeric part after an array also picks the element at that position: the element itself when
 *    the path ends there (an array element is then tested whole), or the rest of the path read in it.
 *    A subdocument element is also searched for a field of that name, so `a.0` reads both `a[0]` and
 *    the field "0" of every document in `a`. On a document a numeric part is just a field name.
 *  - An array the path ends at yields each element and then the array itself, except for the
 *    operators that test arrays as such ($size, $elemMatch), which see only the array.
 *
 * MongoDB 7.0's semantics (the version the store reports); MongoDB 9.0 changes what `{'a.b': null}`
 * makes of empty arrays and arrays of scalars (SERVER-36681).
 */

/** A test of one value a path yields; `undefined` stands for a missing field. */
export type ElementTest = (value: unknown) => boolean;

/** The position a numeric part names ("0", "12"), or -1: "01" names no position, only a field. */
function positionOf(part: string): number {
  return /^(0|[1-9]\d{0,8})$/.test(part) ? Number(part) : -1;
}

/**
 * Compiles `selector` into a test of documents: true when `test` holds for one of the values the path
 * yields. `leafArrays: false` gives the array a path ends at to `test` whole, not element by element.
 */
export function pathTest(
  selector: string,
  leafArrays: boolean,
  test: ElementTest,
): (doc: unknown) => boolean {
  const parts = selector.split('.');
  const positions = parts.map(positionOf);
  const last = parts.length - 1;

  const atLeaf = (array: unknown[]): boolean => {
    if (leafArrays) for (const element of array) if (test(element)) return true;
    return test(array);
  };

  // From a document (or an array read as one, with its positions as field names), part i onwards.
  const inDocument = (doc: object, i: number): boolean => {
    let cur = doc;
    for (;;) {
      const value = Array.isArray(cur)
        ? positions[i]! >= 0
          ? (cur[positions[i]!] as unknown)
          : undefined
        : ownField(cur, parts[i]!);
      if (Array.isArray(value)) return i === last ? atLeaf(value) : inArray(value, i + 1);
      if (i === last) return test(value);
      if (!isPlainDocument(value)) return test(undefined);
      cur = value;
      i++;
    }
  };

  // Through an array met before the path ends; part i is the one after the array.
  const inArray = (array: unknown[], i: number): boolean => {
    const position = positions[i]!;
    for (let k = 0; k < array.length; k++) {
      const element = array[k];
      if (isPlainDocument(element)) {
        if (inDocument(element, i)) return true;
        if (k === position && (i === last ? test(element) : inDocument(element, i + 1))) return true;
      } else if (k === position) {
        if (i === last) {
          if (test(element)) return true;
        } else if (Array.isArray(element) && inArray(element, i + 1)) return true;
      }
    }
    return false;
  };

  if (parts.length === 1) {
    const name = parts[0]!;
    return (doc) => {
      if (doc === null || typeof doc !== 'object') return test(undefined);
      if (Array.isArray(doc)) return inDocument(doc, 0);
      const value = ownField(doc, name);
      return Array.isArray(value) ? atLeaf(value) : test(value);
    };
  }
  return (doc) => (doc !== null && typeof doc === 'object' ? inDocument(doc, 0) : test(undefined));
}
