import { expect } from 'chai';
import { redactUrl } from '../../src/core/logger.js';

describe('what a logged address may show', () => {
  it('password-link tokens and CSRF tokens are replaced wherever and however they are written', () => {
    expect(redactUrl('/reset/abcDEF123-_x')).to.equal('/reset/[redacted]');
    expect(redactUrl('/RESET/abc?x=1')).to.equal('/RESET/[redacted]?x=1');
    expect(redactUrl('http://sabaq.example/reset/abc#top')).to.equal(
      'http://sabaq.example/reset/[redacted]#top',
    );
    expect(redactUrl('/admin/settings/logo?_csrf=tok.en&x=1')).to.equal(
      '/admin/settings/logo?_csrf=[redacted]&x=1',
    );
    expect(redactUrl('/login?next=%2F&TOKEN=abc')).to.equal('/login?next=%2F&TOKEN=[redacted]');
  });

  it('other addresses are left as they are', () => {
    for (const url of ['/', '/people/0123456789abcdef01234567', '/admin/users?page=2', '/resetting/x'])
      expect(redactUrl(url)).to.equal(url);
  });
});
