import mongoose, { type Connection, type Schema } from 'mongoose';

/**
 * Models live on the connection the app is given, not on mongoose's global default connection.
 *
 * Features declare a model once, at import, with `defineModel`, and use it as any mongoose model
 * (`User.findById(…)`, `new User(…)`). What they hold is a stand-in that forwards to the model compiled
 * on the bound connection: `bindModels(connection)` (called by openDatabase for the server and the CLI
 * commands, and by the test harness) compiles every declared model there with `connection.model(…)`, which
 * also builds its indexes on that connection; createApp checks that its connection is the bound one. A model
 * declared after binding is compiled at once.
 *
 * One process serves one database: binding a second connection while the first is still open is refused
 * rather than silently moving every model under code that still uses the first.
 */

function compile<S extends Schema>(connection: Connection, name: string, schema: S, collection?: string) {
  return connection.model(name, schema, collection);
}
/** The model type mongoose infers from a schema, as `connection.model(name, schema)` returns it. */
export type ModelFor<S extends Schema> = ReturnType<typeof compile<S>>;

/** What the stand-in needs of a compiled model: a class to construct and read from. */
type CompiledModel = (new (...args: unknown[]) => object) & { init(): Promise<unknown> };

interface Declared {
  name: string;
  schema: Schema;
  collection?: string;
  compiled?: CompiledModel;
  /** The compiled model's functions, bound to it once each. */
  methods: Map<PropertyKey, unknown>;
}

const declared = new Map<string, Declared>();
let bound: Connection | undefined;

function compileOn(connection: Connection, entry: Declared): void {
  entry.compiled = compile(
    connection,
    entry.name,
    entry.schema,
    entry.collection,
  ) as unknown as CompiledModel;
  entry.methods.clear();
}

function modelOf(entry: Declared): CompiledModel {
  if (!entry.compiled)
    throw new Error(
      `The ${entry.name} model is used before any database connection was bound: openDatabase and the test harness call bindModels(connection) first.`,
    );
  return entry.compiled;
}

/**
 * Declares a model; returns the stand-in features import. Functions read from it run bound to the real
 * model (so mongoose's own `this` is the compiled model), and `new`/`instanceof` reach the real class.
 */
export function defineModel<S extends Schema>(name: string, schema: S, collection?: string): ModelFor<S> {
  if (declared.has(name)) throw new Error(`The ${name} model is declared twice.`);
  const entry: Declared = { name, schema, collection, methods: new Map() };
  declared.set(name, entry);
  if (bound) compileOn(bound, entry);
  const standIn = new Proxy(function standIn() {}, {
    get(_target, prop) {
      const model = modelOf(entry);
      const value: unknown = Reflect.get(model, prop, model);
      if (typeof value !== 'function') return value;
      let method = entry.methods.get(prop);
      if (!method) entry.methods.set(prop, (method = value.bind(model)));
      return method;
    },
    set: (_target, prop, value) => Reflect.set(modelOf(entry), prop, value),
    has: (_target, prop) => Reflect.has(modelOf(entry), prop),
    construct: (_target, args: unknown[]) => Reflect.construct(modelOf(entry), args),
  });
  return standIn as ModelFor<S>;
}

/** Compiles every declared model (and every one declared later) on this connection. */
export function bindModels(connection: Connection): void {
  if (bound === connection) return;
  if (bound && bound.readyState !== mongoose.ConnectionStates.disconnected)
    throw new Error('Models are already bound to another open connection: one process serves one database.');
  bound = connection;
  for (const entry of declared.values()) compileOn(connection, entry);
}

/** The connection the models are bound to, for work that spans models (transactions, change counters). */
export function boundConnection(): Connection | undefined {
  return bound;
}

/** Resolves once every bound model has its collection and indexes. */
export async function modelsReady(): Promise<void> {
  await Promise.all([...declared.values()].map((entry) => entry.compiled?.init() ?? Promise.resolve()));
}
