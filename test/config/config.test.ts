import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('with nothing set, the defaults are used', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.dataDir).to.equal('./data');
    expect(c.uploadsDir).to.equal('./uploads');
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.env).to.equal('development');
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('sessions last 30 idle minutes, 12 hours at most, 30 days when remembered, unless set otherwise', () => {
    expect(loadConfig({}).session).to.deep.equal({
      idleMs: 30 * 60_000,
      absoluteMs: 12 * 3_600_000,
      rememberMs: 30 * 86_400_000,
    });
    const c = loadConfig({ SESSION_IDLE_MINUTES: '15', SESSION_MAX_HOURS: '8', SESSION_REMEMBER_DAYS: '0' });
    expect(c.session).to.deep.equal({ idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000, rememberMs: 0 });
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: 'forever' })).to.throw(
      ConfigError,
      /SESSION_IDLE_MINUTES: expected a whole number of minutes/,
    );
    expect(() => loadConfig({ SESSION_MAX_HOURS: '72', SESSION_REMEMBER_DAYS: '2' })).to.throw(
      ConfigError,
      /SESSION_REMEMBER_DAYS: must last at least as long as SESSION_MAX_HOURS/,
    );
    expect(() => loadConfig({ SESSION_MAX_HOURS: '0' })).to.throw(
      ConfigError,
      /SESSION_MAX_HOURS: expected 1 to 720 hours/,
    );
  });

  it('a bad PORT stops parsing with a message naming the variable and what is expected', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(
      ConfigError,
      /PORT: expected a port number \(got "eighty"\)/,
    );
    expect(() => loadConfig({ PORT: '70000' })).to.throw(
      ConfigError,
      /PORT: expected a port between 0 and 65535/,
    );
  });

  it('every bad variable is reported at once', () => {
    try {
      loadConfig({
        MONGODB_URI: 'postgres://x',
        NODE_ENV: 'staging',
        BASE_URL: 'not a url',
        LOG_LEVEL: 'loud',
      });
      expect.fail('should have thrown');
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).to.contain('MONGODB_URI: expected a mongodb:// or mongodb+srv:// URI');
      expect(problems).to.contain('NODE_ENV: expected development, production or test');
      expect(problems).to.contain('BASE_URL: expected an absolute URL');
      expect(problems).to.contain('LOG_LEVEL: expected one of');
    }
  });

  it('a short SESSION_SECRET is refused without echoing it', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short-secret' })).to.throw(
      /SESSION_SECRET: expected at least 32 characters \(got "\*\*\*"\)/,
    );
  });

  it('a bad SMTP_URL is refused without echoing it, since it may hold a password', () => {
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org:25' })).to.throw(
      /SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL.*\(got "\*\*\*"\)/,
    );
    expect(
      loadConfig({ SMTP_URL: 'smtp://localhost:2525', BASE_URL: 'https://sabaq.example.org' }).smtpUrl,
    ).to.equal('smtp://localhost:2525');
  });

  it('BASE_URL is required in production and when links are mailed, so no link is built from a Host header', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(
      ConfigError,
      /BASE_URL: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://localhost:2525' })).to.throw(
      ConfigError,
      /BASE_URL: required when SMTP_URL is set/,
    );
    expect(loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://sabaq.example.org' }).baseUrl).to.equal(
      'https://sabaq.example.org',
    );
    expect(loadConfig({}).baseUrl).to.equal(undefined);
  });

  it('TRUST_PROXY accepts booleans and hop counts', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).to.throw(/TRUST_PROXY/);
  });
});
