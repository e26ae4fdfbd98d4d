import { isSecretFieldName } from './secretFieldName';

describe('isSecretFieldName', () => {
  it('matches password-like names in any case and position', () => {
    for (const n of [
      'password', 'Password', 'PASSWORD', 'passwd', 'pwd', 'pass', 'new_password', 'user[password]',
      'newPassword', 'password_confirmation', 'secret', 'client_secret', 'clientSecret', 'token',
      'access_token', 'refresh_token', 'id_token', 'accessToken', 'csrftoken', 'api_key', 'apikey',
      'X-Api-Key', 'APIKey', 'otp', 'otp_code', 'pin', 'PIN', 'cvv', 'cvc', 'card_number', 'cardNumber',
      'cardnumber', 'ssn', 'user.ssn', 'data[0][pwd]',
    ]) {
      expect([n, isSecretFieldName(n)]).toEqual([n, true]);
    }
  });
  it('leaves ordinary names alone', () => {
    for (const n of ['username', 'email', 'shipping', 'compass', 'passenger', 'spinner', 'keyboard', 'id', 'name', '', 'opinion', 'cards']) {
      expect([n, isSecretFieldName(n)]).toEqual([n, false]);
    }
  });
  it('ignores absurdly long names', () => {
    expect(isSecretFieldName('x'.repeat(300) + 'password')).toBe(false);
  });
});
