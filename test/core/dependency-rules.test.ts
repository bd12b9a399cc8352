import { expect } from 'chai';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type ICruiseOptions, type IConfiguration } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const projectRoot = path.resolve(import.meta.dirname, '..', '..');
const config = require(path.join(projectRoot, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string, roots: string[]): Promise<string[]> {
  const options: ICruiseOptions = { ...config.options, ruleSet: config, validate: true, baseDir };
  const result = await cruise(roots, options);
  if (typeof result.output === 'string') throw new Error(result.output);
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('dependency rules (npm run lint)', function () {
  this.timeout(60_000);

  it('a planted bad import of each kind is reported, and a use through a service is not', async () => {
    const found = await violations(path.join(projectRoot, 'test', 'fixtures', 'bad-imports'), ['src']);
    expect(found).to.deep.equal([
      'core-imports-no-feature: src/core/uses-feature.ts -> src/users/users.service.ts',
      'feature-through-service: src/people/uses-model.ts -> src/users/user.model.ts',
      'store-imports-nothing-from-the-app: src/embedded-mongo/uses-app.ts -> src/people/uses-service.ts',
    ]);
  });
});
