import { expect } from 'chai';
import { passwordProblem } from '../../src/core/password-policy.js';

describe('password rules', () => {
  it('fewer than 10 characters is too short', () => {
    expect(passwordProblem('abc123xyz')).to.equal('validation.passwordTooShort');
  });

  it('a common password is refused whatever its case', () => {
    expect(passwordProblem('qwertyuiop')).to.equal('validation.passwordCommon');
    expect(passwordProblem('Password123')).to.equal('validation.passwordCommon');
    expect(passwordProblem('aaaaaaaaaaaa')).to.equal('validation.passwordCommon');
  });

  it('a password containing the email name is refused', () => {
    expect(passwordProblem('fatima.noori-2024', { email: 'fatima.noori@example.org' })).to.equal(
      'validation.passwordPersonal',
    );
  });

  it('a long uncommon passphrase, also in Dari, is accepted', () => {
    expect(passwordProblem('quiet river lantern 42')).to.equal(null);
    expect(passwordProblem('باران در کابل می‌بارد')).to.equal(null);
  });
});
