import { BSON, type DBRef, type Document, type Double, type Int32 } from 'bson';
import { isContainer, setOwnField } from './own-fields.js';
import { isInt32 } from './type-order.js';

/**
 * BSON bytes to a document as the store holds it in memory, from the wire and from the disk alike.
 * Promoted as usual (strings, booleans, dates...), except:
 *  - an int32 is a plain number, and so is a double, unless it is an integer in the int32 range: that
 *    one stays a `Double`, or it would go back out as an int32 and `{$type: 'double'}` would miss it;
 *  - Longs stay Long (int64 values keep their type);
 *  - a regular expression stays a BSONRegExp with its options as sent: bson's RegExp would lose the
 *    x option and turn s into g;
 *  - a DBRef is the document it is on the wire ({$ref, $id, $db, ...}), so queries reach its fields
 *    ({'refs.$id': x}, {$elemMatch: {$id: x}}) as MongoDB's do.
 */

const RAW = { promoteLongs: false, promoteValues: false, bsonRegExp: true } as const;

function normalize(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'Int32':
      return (v as Int32).value;
    case 'Double': {
      const value = (v as Double).value;
      return isInt32(value) ? v : value;
    }
    case 'DBRef':
      return dbRefDocument(v as DBRef);
    default:
      break;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalize(v[i]);
    return v;
  }
  if (!isContainer(v)) return v;
  const doc = v as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    const value = doc[key];
    const next = normalize(value);
    if (next !== value) setOwnField(doc, key, next);
  }
  return doc;
}

function dbRefDocument(ref: DBRef): Document {
  const doc: Document = { $ref: ref.collection, $id: normalize(ref.oid) };
  if (ref.db !== undefined) doc.$db = ref.db;
  for (const [key, value] of Object.entries(ref.fields)) setOwnField(doc, key, normalize(value));
  return doc;
}

export function decodeDocument(bytes: Uint8Array): Document {
  return normalize(BSON.deserialize(bytes, RAW)) as Document;
}
