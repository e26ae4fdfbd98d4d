import { classifyHost, parseIpv4, parseIpv6, Reach } from './hostClass';
import { detectSsrf } from './ssrfDetector';

describe('hostClass', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['169.254.43518', '169.254.169.254'],
  ])('reads %s as inet_aton would', (host, canonical) => {
    expect(classifyHost(host).canonical).toBe(canonical);
    expect(classifyHost(host).obfuscated).toBe(true);
  });

  it.each(['localh.st', 'fuf.me', 'lvh.me'])('knows the public name %s resolves to loopback', (host) => {
    expect(classifyHost(host).reach).toBe(Reach.Loopback);
  });

  it('parses IPv6 with embedded IPv4', () => {
    expect(parseIpv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(classifyHost('[::ffff:7f00:1]').reach).toBe(Reach.Loopback);
    expect(classifyHost('[fd00:ec2::254]').reach).toBe(Reach.Metadata);
    expect(classifyHost('[fc00::1]').reach).toBe(Reach.Private);
  });

  it('rejects what is not an address', () => {
    expect(parseIpv4('1.2.3.4.5')).toBeUndefined();
    expect(parseIpv4('256.1.1.1')).toBeUndefined();
    expect(classifyHost('example.com').reach).toBe(Reach.Public);
  });
});

describe('detectSsrf', () => {
  it("takes a scheme named like an object's member (constructor://) for no scheme at all, and still finds the real URL after it", () => {
    expect(detectSsrf('constructor://127.0.0.1/')).toBeUndefined();
    expect(detectSsrf('tostring://10.0.0.1/')).toBeUndefined();
    const m = detectSsrf('constructor://x/ http://169.254.169.254/latest/meta-data/');
    expect(m?.confidence).toBe(0.97);
    expect(m?.fragment).toContain('169.254.169.254');
  });

  it('puts metadata above loopback above private', () => {
    const meta = detectSsrf('http://169.254.169.254/latest/meta-data/')!;
    const loop = detectSsrf('http://127.0.0.1:8080/')!;
    const priv = detectSsrf('http://10.0.0.1/')!;
    expect(meta.fingerprint).toBe('ssrf:metadata');
    expect(meta.confidence).toBeGreaterThan(loop.confidence);
    expect(loop.confidence).toBeGreaterThan(priv.confidence);
  });

  it.each([
    ['http://2130706433/', 'ssrf:loopback+obfuscated'],
    ['http://good.example.com@127.0.0.1/', 'ssrf:loopback+userinfo'],
    ['http://127.0.0.1.nip.io/', 'ssrf:loopback+obfuscated'],
    ['gopher://127.0.0.1:6379/_x', 'ssrf:loopback+gopher'],
    ['dict://attacker.example:11211/', 'ssrf:public+dict'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'ssrf:metadata'],
    ['http://consul.service.consul:8500/v1/kv/?recurse', 'ssrf:internal-name'],
    ['http://[::]:80/', 'ssrf:loopback'],
    ['localhost:6379', 'ssrf:bare+loopback'],
    // Parsers that disagree, and wildcard DNS names with more labels around the address.
    ['http://foo@127.0.0.1:80@example.com/', 'ssrf:public+parser-confusion'],
    ['http://127.0.0.1:11211:80/', 'ssrf:loopback'],
    ['http:/127.0.0.1/admin', 'ssrf:loopback'],
    ['http://customer1.app.127.0.0.1.nip.io/', 'ssrf:loopback+obfuscated'],
    ['http://make-127-0-0-1-rebind-169-254-169-254-rr.1u.ms/', 'ssrf:loopback+obfuscated'],
    ['http://7f000001.c0a80001.rbndr.us/', 'ssrf:loopback+obfuscated'],
  ])('%s is %s', (value, fingerprint) => {
    expect(detectSsrf(value)?.fingerprint).toBe(fingerprint);
  });

  it.each([
    'https://hooks.example.com/services/x',
    'alice@example.com',
    '10.0.1',
    '2024.05.17',
    '2130706433',
    '10.1.2.3',
    'My dev server http://localhost:3000 returns 500',
    'https://example.com/?ip=127.0.0.1',
    'http://ec2-54-12-3-4.compute.amazonaws.com/',
  ])('leaves %s alone', (value) => {
    expect(detectSsrf(value)).toBeUndefined();
  });

  it('still reports metadata inside prose', () => {
    expect(detectSsrf('please fetch http://169.254.169.254/latest/meta-data/ for me')?.fingerprint).toBe('ssrf:metadata');
  });
});

describe('remote file inclusion', () => {
  it.each([
    ['http://evil.example/shell.txt?', 'rfi:truncated'],
    ['http://evil.example/x.php%00', 'rfi:truncated'],
    ['https://evil.example/inc.txt#', 'rfi:truncated'],
    ['http://evil.example/a.txt?.jpg', 'rfi:truncated'],
    ['http://evil.example/%00shell.php', 'rfi:truncated'],
    ['http://evil.example/e.php\\u0000', 'rfi:truncated'],
    ['https://pastebin.com/raw/AbCdEf12?', 'rfi:truncated'],
    ['http://evil.example/x.txt?cmd=id', 'rfi:query'],
    ['http://evil.example/c99.php', 'rfi:webshell'],
    ['http://evil.example/php-backdoor.txt', 'rfi:webshell'],
    ['ftp://evil.example/pub/x.php', 'rfi:script'],
    ['//evil.example/x.txt?', 'rfi:truncated'],
    ['\\\\evil.example\\share\\x.php', 'rfi:script'],
  ])('reads %s as %s', (value, fingerprint) => {
    const m = detectSsrf(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    'https://example.com/files/readme.txt',
    'https://www.ietf.org/rfc/rfc2616.txt',
    // Cache-busters on static text files.
    'https://cdn.example.com/robots.txt?v=3',
    'https://example.com/licenses.txt?t=1700000000',
    'https://example.com/index.php?page=about',
    'https://example.com/search?',
    'https://app.example.com/oauth/callback?state=xyz',
    'https://cdn.example.com/avatar/123.png?',
    'https://raw.githubusercontent.com/org/repo/main/README.md',
    'ftp://ftp.gnu.org/gnu/bash/bash-5.2.tar.gz',
    '\\\\fileserver\\share\\budget.xlsx',
    '\\\\fs.example.com\\docs\\notes.txt',
    'see http://evil.example/shell.txt? for details',
  ])('leaves the ordinary link %s alone', (value) => {
    expect(detectSsrf(value)).toBeUndefined();
  });
});
