import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEngine, type Engine } from '../../../src/embedded-mongo/engine/engine.js';

/** A fresh engine on its own temporary data folder; `cleanup` closes it and removes the folder. */
export function tempEngine(): { engine: Engine; dir: string; reopen: () => Engine; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sabaq-engine-'));
  const state = { engine: openEngine({ dataDir: dir }) };
  return {
    get engine() {
      return state.engine;
    },
    dir,
    reopen() {
      state.engine.close();
      state.engine = openEngine({ dataDir: dir });
      return state.engine;
    },
    cleanup() {
      state.engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
