import { expect } from 'chai';
import type { Request, Response } from 'express';
import { deviceCookies } from '../../src/auth/device-cookie.js';

/** The cookie a sign-in sets, read back as the next request would carry it. */
function issued(secret: string, email: string, version: number): string {
  let value = '';
  const res = { cookie: (_name: string, v: string) => (value = v) } as unknown as Response;
  deviceCookies(secret).remember({ secure: true } as Request, res, email, version);
  return value;
}

const request = (value: unknown) => ({ cookies: { device: value } }) as unknown as Request;

describe('trusted-device cookies', () => {
  const secret = 'a-secret-for-device-cookies-only-0123456789';
  const devices = deviceCookies(secret);

  it('a cookie is recognised for the email and credential version it was issued for, and each sign-in makes a new one', () => {
    const value = issued(secret, 'zahra@example.org', 3);
    expect(devices.trustedFor(request(value), 'zahra@example.org', 3))
      .to.be.a('string')
      .with.length(22);
    expect(issued(secret, 'zahra@example.org', 3)).not.to.equal(value);
  });

  it('it is void for another email, after a credential change, under another secret, or when tampered with', () => {
    const value = issued(secret, 'zahra@example.org', 3);
    expect(devices.trustedFor(request(value), 'farid@example.org', 3)).to.equal(undefined);
    expect(devices.trustedFor(request(value), 'zahra@example.org', 4)).to.equal(undefined);
    expect(
      deviceCookies('another-secret-another-secret-0123456789').trustedFor(
        request(value),
        'zahra@example.org',
        3,
      ),
    ).to.equal(undefined);
    const [id, mac] = value.split('.');
    const flipped = `${id}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, `${id}.`, `.${mac}`, 'x.y', '', undefined, { id }, ['a', 'b']])
      expect(devices.trustedFor(request(bad), 'zahra@example.org', 3), JSON.stringify(bad)).to.equal(
        undefined,
      );
  });
});
