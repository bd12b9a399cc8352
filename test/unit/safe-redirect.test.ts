import { expect } from 'chai';
import { safeLocalPath } from '../../src/core/safe-redirect.js';

describe('safe local redirects', () => {
  it('keeps a local path with its query', () => {
    expect(safeLocalPath('/courses/tip-law?x=1')).to.equal('/courses/tip-law?x=1');
  });

  for (const bad of [
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/%0d%0aSet-Cookie:x',
    '',
    42,
    '/a\r\nb',
    '/..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
  ]) {
    it(`falls back for ${JSON.stringify(bad)}`, () => {
      const result = safeLocalPath(bad, '/');
      expect(result.startsWith('//')).to.equal(false);
      expect(result).to.match(/^\/(?!\/)/);
      expect(result).not.to.match(/[\r\n]/);
    });
  }

  it('rejects protocol-relative and absolute URLs outright', () => {
    expect(safeLocalPath('//evil.example')).to.equal('/');
    expect(safeLocalPath('https://evil.example')).to.equal('/');
  });
});
