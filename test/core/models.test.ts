import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose, { Schema } from 'mongoose';
import { createApp, type AppDeps } from '../../src/app.js';
import { bindModels, boundConnection, defineModel } from '../../src/core/models.js';
import { projectRoot } from '../../src/core/paths.js';
import { connectTestDb } from '../helpers/app-harness.js';
import { testMongoUri } from '../helpers/test-db.js';

const run = promisify(execFile);

/** The run's store URI, naming its own database. */
function uriWithDatabase(name: string): string {
  const url = new URL(testMongoUri());
  url.pathname = `/${name}`;
  return url.toString();
}

describe('models live on the connection they are given', function () {
  this.timeout(60_000);

  it('the server and CLI commands bind every model to the connection they open, never to mongoose’s default one', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/models/own-connection.ts'],
      { cwd: projectRoot, env: { ...process.env, MONGODB_URI: uriWithDatabase('sabaq_own_connection') } },
    );
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

    expect(seen.beforeBinding).to.match(/The User model is used before any database connection was bound/);
    expect(seen.databaseName).to.equal('sabaq_own_connection');
    expect(seen.storedThere).to.equal(1);
    expect(seen.modelOnConnection).to.equal(true);
    expect(seen.defaultConnectionState).to.equal(mongoose.ConnectionStates.disconnected);
    expect(seen.defaultConnectionModels).to.deep.equal([]);
    expect(seen.globalModels).to.deep.equal([]);
  });

  describe('in this process (bound by the test harness)', () => {
    before(connectTestDb);

    it('a model declared after binding is compiled on the bound connection at once, and behaves as a mongoose model', async () => {
      const Probe = defineModel('ModelsProbe', new Schema({ label: { type: String, required: true } }));
      expect(Probe.db).to.equal(boundConnection());
      expect(Probe.modelName).to.equal('ModelsProbe');

      const doc = new Probe({ label: 'one' });
      expect(doc).to.be.instanceOf(Probe);
      await doc.save();
      await Probe.create({ label: 'two' });
      const labels = (await Probe.find().sort({ label: 1 }).lean()).map((d) => d.label);
      expect(labels).to.deep.equal(['one', 'two']);
      const invalid = await Probe.create({}).catch((err: unknown) => err);
      expect(invalid).to.be.instanceOf(mongoose.Error.ValidationError);
    });

    it('declaring the same model twice is refused', () => {
      expect(() => defineModel('User', new Schema({}))).to.throw('The User model is declared twice.');
    });

    it('binding a second open connection is refused: one process serves one database; createApp refuses it too', async () => {
      const other = await mongoose.createConnection(uriWithDatabase('sabaq_other')).asPromise();
      try {
        expect(() => bindModels(other)).to.throw(/already bound to another open connection/);
        expect(() => createApp({ connection: other } as AppDeps)).to.throw(
          /the models are not bound to the connection it is given/,
        );
        expect(boundConnection()).to.equal(mongoose.connection);
      } finally {
        await other.close();
      }
    });
  });
});
