import { scanSensitiveData } from './sensitiveDataScanner';
import type { SensitiveHit } from './scanContext';

const OPTIONS = { maxScanChars: 262_144, bulkEmails: 20, bulkPhones: 20 };

function scan(body: string, mime?: string): SensitiveHit[] {
  return scanSensitiveData(body, OPTIONS, mime).hits;
}

function kinds(body: string, mime?: string): string[] {
  return scan(body, mime).map((h) => h.kind);
}

const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'user-1', exp: 1900000000 })}.c2lnbmF0dXJlLWZvci10ZXN0cy1vbmx5`;
const PEM_BODY = 'MIIEowIBAAKCAQEAfakefakefakeFAKEfakeKEYforSIDETAPtestsONLYnotArealKEY0123456789abcdefABCDEF+/xyzXYZ0123456789';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`;

describe('card numbers', () => {
  it('finds Luhn-valid numbers of known issuers, grouped or bare, with the JSON path', () => {
    const hits = scan(JSON.stringify({ customers: [{ card: '4111 1111 1111 1111' }, { card: '5555-5555-5555-4444' }, { card: 378282246310005 }] }));
    expect(hits).toEqual([expect.objectContaining({ kind: 'card', field: '$.customers[*].card', count: 3, masked: '4111 **** **** 1111' })]);
  });

  it('covers the 2-series Mastercard, Discover, JCB, Diners and UnionPay ranges', () => {
    for (const n of ['2223003122003222', '6011111111111117', '3530111333300000', '30569309025904', '6200000000000005']) {
      expect(kinds(`{"pan":"${n}"}`)).toEqual(['card']);
    }
  });

  it('turns away ids, timestamps, Luhn failures, unknown issuers and masked cards', () => {
    expect(kinds('{"order_id": 4111111111111111}')).toEqual([]);
    expect(kinds('{"created": 1714521600000, "ts": 1714521600123}')).toEqual([]);
    expect(kinds('{"card": "4111 1111 1111 1112"}')).toEqual([]);
    expect(kinds('{"card": "9111 1111 1111 1111"}')).toEqual([]);
    expect(kinds('{"card": "**** **** **** 1111", "last4": "1111"}')).toEqual([]);
    expect(kinds('{"id": "ord_4111111111111111", "uuid": "41111111-1111-1111-1111-111111111111"}')).toEqual([]);
    expect(kinds('{"ratio": 0.4111111111111111, "url": "/orders/4111111111111111"}')).toEqual([]);
    expect(kinds('Order #4111111111111111 shipped')).toEqual([]);
  });

  it('splits a card printed next to other numbers at spaces', () => {
    expect(kinds('card: 4111 1111 1111 1111 12 2029')).toEqual(['card']);
  });
});

describe('SSNs', () => {
  it('needs a dashed shape or a name saying ssn', () => {
    expect(scan('{"taxId":"512346789"}')).toEqual([expect.objectContaining({ kind: 'ssn', masked: '***-**-6789', field: '$.taxId' })]);
    expect(kinds('<ssn>512-34-6789</ssn>')).toEqual(['ssn']);
    expect(kinds('{"note":"SSN: 512-34-6789"}')).toEqual(['ssn']);
    expect(kinds('{"value":"512346789"}')).toEqual([]);
  });

  it('applies the SSA rules and ignores part numbers', () => {
    for (const bad of ['000-12-3456', '666-12-3456', '912-34-5678', '512-00-6789', '512-34-0000', '078-05-1120']) expect(kinds(`{"ssn":"${bad}"}`)).toEqual([]);
    expect(kinds('{"sku":"512-34-6789"}')).toEqual([]);
  });
});

describe('IBANs', () => {
  it('checks the country length and mod 97, in electronic and printed form', () => {
    expect(scan('{"iban":"DE89370400440532013000"}')).toEqual([expect.objectContaining({ kind: 'iban', masked: 'DE89 **** 3000' })]);
    expect(kinds('Pay to GB82 WEST 1234 5698 7654 32 by Friday')).toEqual(['iban']);
    expect(kinds('{"iban":"DE89370400440532013001"}')).toEqual([]);
    expect(kinds('{"iban":"DE8937040044053201300"}')).toEqual([]);
  });
});

describe('keys and tokens', () => {
  it('finds PEM private keys, also JSON-escaped, and not certificates', () => {
    expect(kinds(PEM)).toEqual(['private_key']);
    expect(kinds(JSON.stringify({ key: PEM }))).toEqual(['private_key']);
    expect(kinds(PEM.replace(/RSA PRIVATE KEY/g, 'CERTIFICATE'))).toEqual([]);
    expect(kinds('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----')).toEqual([]);
  });

  it('finds cloud and SaaS keys by their prefixes, masked', () => {
    const aws = scan('{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}');
    expect(aws).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'aws_access_key', masked: 'AKIA****MPLE', paired: true })]));
    expect(scan('id AKIAIOSFODNN7EXAMPLE')[0]).not.toHaveProperty('paired');
    expect(kinds('token=ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toEqual(['github_token']);
    expect(kinds('{"hook":"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"}')).toEqual(['slack_token']);
    expect(scan('{"k":"sk_live_abcdefghijklmnopqrstuvwx"}')[0]?.masked).toBe('sk_live_****uvwx');
    expect(kinds('{"k":"pk_live_abcdefghijklmnopqrstuvwx"}')).toEqual([]);
    expect(kinds('<script src="https://maps.example.com/js?key=AIzaSyA-fake-key-for-sidetap-tests-0123"></script>')).toEqual(['google_api_key']);
    expect(kinds('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=ZmFrZWtleWZvcnNpZGV0YXB0ZXN0c29ubHlub3RhcmVhbGtleWZha2VrZXlmYWtla2V5ZmFrZQ==;EndpointSuffix=core.windows.net')).toEqual(['azure_key']);
  });

  it('finds a GCP service account key file, even with the key redacted by capture', () => {
    const file = { type: 'service_account', project_id: 'demo', private_key_id: 'abcdef0123456789', private_key: 'h:AAAAAAAAAAAAAAAAAAAAAA', client_email: 'x@demo.iam.gserviceaccount.com' };
    expect(kinds(JSON.stringify({ credentials: file }))).toEqual(expect.arrayContaining(['gcp_key']));
  });

  it('finds JWTs whose header names an alg, and not base64 cursors or dotted versions', () => {
    expect(scan(JSON.stringify({ jwt: JWT }))).toEqual([expect.objectContaining({ kind: 'jwt', masked: `${JWT.slice(0, 10)}...(len ${JWT.length})` })]);
    expect(kinds(JSON.stringify({ cursor: `${b64url({ page: 2 })}.${b64url({ size: 10 })}.abc` }))).toEqual([]);
    expect(kinds('{"cursor":"eyJwYWdlIjoyfQ","version":"1.2.3"}')).toEqual([]);
  });
});

describe('password fields', () => {
  it('reports plaintext values and hashes, and not empty, masked or descriptive fields', () => {
    expect(scan('{"user":{"name":"a","password":"hunter2"}}')).toEqual([expect.objectContaining({ kind: 'password_field', field: '$.user.password', masked: '***' })]);
    expect(kinds('{"passwordHash":"$2b$12$abcdefghijklmnopqrstuuVWXYZ0123456789abcdefghijklmnop"}')).toEqual(['password_hash']);
    expect(kinds('{"password":"","pwd":"********","secret":null,"passwordChangedAt":"2024-01-01","password_policy":"min 8"}')).toEqual([]);
    expect(kinds('user=bob&password=s3cr3t!&x=1', 'application/x-www-form-urlencoded')).toEqual(['password_field']);
  });

  it('reports password, SSN and card fields capture redacted, as redacted', () => {
    const hits = scan('{"password":"h:AbCdEfGhIjKlMnOpQrStUv","ssn":"h:AbCdEfGhIjKlMnOpQrStUw","access_token":"h:AbCdEfGhIjKlMnOpQrStUx"}');
    expect(hits.map((h) => [h.kind, h.redacted])).toEqual([
      ['password_field', true],
      ['ssn', true],
    ]);
  });
});

describe('bulk personal data', () => {
  const people = Array.from({ length: 25 }, (_, i) => ({ email: `person${i}@corp-mail.net`, phone: `+1 415 555 ${String(1000 + i)}` }));

  it('counts distinct emails and phones only past the bulk threshold', () => {
    const hits = scan(JSON.stringify({ people }));
    expect(hits).toEqual([
      expect.objectContaining({ kind: 'email', field: '$.people[*].email', count: 25, masked: 'p***@corp-mail.net' }),
      expect.objectContaining({ kind: 'phone', field: '$.people[*].phone', count: 25 }),
    ]);
    expect(kinds(JSON.stringify({ people: people.slice(0, 5) }))).toEqual([]);
  });

  it('takes digits as phones only by shape or by field name', () => {
    const skus = Array.from({ length: 30 }, (_, i) => ({ sku: `415-555-${1000 + i}` }));
    expect(kinds(JSON.stringify(skus))).toEqual([]);
    const tel = Array.from({ length: 30 }, (_, i) => ({ mobile: `415-555-${1000 + i}` }));
    expect(kinds(JSON.stringify(tel))).toEqual(['phone']);
  });
});

describe('hostile input', () => {
  it('stays linear and never throws', () => {
    const inputs = [
      '['.repeat(100_000),
      '{"a":'.repeat(50_000),
      '4'.repeat(200_000),
      '4111 '.repeat(50_000),
      '@'.repeat(100_000),
      'a@'.repeat(50_000) + 'b.com',
      'eyJ'.repeat(50_000),
      'eyJhbGciOiJub25lIn0.'.repeat(20_000),
      '-----BEGIN RSA PRIVATE KEY-----'.repeat(5_000),
      'AKIA'.repeat(50_000),
      'password:'.repeat(30_000),
      'h:'.repeat(100_000),
      'DE89 '.repeat(50_000),
      '"\\'.repeat(50_000),
      '\u0000\uffff\ud800'.repeat(30_000),
    ];
    for (const input of inputs) expect(() => scanSensitiveData(input, OPTIONS)).not.toThrow();
  });

  it('scans no more than maxScanChars', () => {
    const body = 'x'.repeat(300_000) + ' 4111 1111 1111 1111';
    expect(scanSensitiveData(body, OPTIONS)).toEqual({ hits: [], capped: true });
  });

  it('never puts a key name that is itself data into a path', () => {
    const hits = scan(JSON.stringify({ '4111111111111111': { card: '4111 1111 1111 1111' }, 'jane@corp.net': { pan: '5555555555554444' } }));
    expect(JSON.stringify(hits)).not.toMatch(/4111111111111111|jane@corp\.net|5555555555554444/);
    // The key that is a card number is still a card in the response, reported without a field.
    expect(hits.map((h) => h.field)).toEqual([undefined, '$.*.card', '$.*.pan']);
  });
});
