import { bsonTypeOf } from './type-order.js';

/** Renders a value the way the mongo shell (and so MongoDB's error messages) shows it. */
export function shellFormat(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(shellFormat).join(', ')} ]`;
  switch (bsonTypeOf(v)) {
    case 'ObjectId':
      return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return (v as { toString(): string }).toString();
    case 'Timestamp': {
      const t = v as { t: number; i: number };
      return `Timestamp(${t.t}, ${t.i})`;
    }
    case 'Binary':
      return `BinData(${(v as { sub_type: number }).sub_type}, ${(v as { toString(e: string): string }).toString('base64')})`;
    case 'BSONRegExp': {
      const re = v as { pattern: string; options: string };
      return `/${re.pattern}/${re.options}`;
    }
    case 'MinKey':
      return 'MinKey';
    case 'MaxKey':
      return 'MaxKey';
    default:
      break;
  }
  if (typeof v === 'object') return formatFields(v as Record<string, unknown>);
  return typeof v === 'symbol' ? v.toString() : 'unknown';
}

export function formatFields(o: Record<string, unknown>): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k}: ${shellFormat(o[k])}`).join(', ')} }`;
}
