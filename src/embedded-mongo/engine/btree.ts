import btreeExports from 'sorted-btree';

/**
 * sorted-btree is CommonJS with `exports.default`. Node's ESM loader hands us the whole exports object
 * as the default import, while some loaders (tsx under mocha) apply interop and hand us the class.
 */
type BTreeClass = typeof btreeExports.default;
const loaded = btreeExports as unknown as BTreeClass | { default: BTreeClass };
export const BTree: BTreeClass = typeof loaded === 'function' ? loaded : loaded.default;
export type BTree<K, V> = InstanceType<typeof btreeExports.default<K, V>>;
