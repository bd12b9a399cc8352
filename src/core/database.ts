import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from './logger.js';
import { bindModels } from './models.js';

export const DEFAULT_DB_NAME = 'sabaq';

/**
 * Query filters drop fields the schema does not know instead of passing them to MongoDB. Not a global
 * sanitizeFilter: it would silently turn every feature's own $gt/$in into $eq. Instead forms are
 * zod-parsed to strings, and queries keyed by raw user input opt in with setOptions({ sanitizeFilter: true }).
 */
export function configureMongoose(): void {
  mongoose.set('strictQuery', true);
}

export interface Database {
  connection: Connection;
  /** Where the data lives, for the start-up message (never includes credentials). */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens a connection to MONGODB_URI, or starts the embedded store in DATA_DIR first when none is given,
 * and binds the models to it. The same function serves the server and the CLI commands.
 */
export async function openDatabase(
  config: Pick<Config, 'mongodbUri' | 'dataDir'>,
  logger: Logger,
): Promise<Database> {
  let store: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  let description: string;
  if (uri) {
    description = `MongoDB at ${/^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1] ?? '(unparsed URI)'}`;
  } else {
    const dataDir = path.resolve(config.dataDir, 'db');
    store = await startEmbeddedMongo({ dataDir });
    uri = store.uri;
    description = `embedded store in ${dataDir}`;
    logger.debug({ dataDir }, 'embedded store started');
  }
  configureMongoose();
  let connection: Connection;
  try {
    // dbName only applies when the URI names no database, so a MONGODB_URI with one keeps it.
    const namesDatabase = /^mongodb(?:\+srv)?:\/\/[^/]+\/[^?]+/.test(uri);
    connection = await mongoose
      .createConnection(uri, {
        dbName: namesDatabase ? undefined : DEFAULT_DB_NAME,
        serverSelectionTimeoutMS: 10_000,
      })
      .asPromise();
  } catch (err) {
    await store?.stop();
    throw err;
  }
  bindModels(connection);
  return {
    connection,
    description,
    async close() {
      await connection.close();
      await store?.stop();
    },
  };
}
