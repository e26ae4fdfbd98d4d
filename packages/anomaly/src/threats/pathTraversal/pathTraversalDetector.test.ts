import { detectPathTraversal } from './pathTraversalDetector';

describe('detectPathTraversal', () => {
  it('judges depth and target', () => {
    const m = detectPathTraversal('../../../etc/passwd');
    expect(m?.fingerprint).toBe('traversal:depth3+sensitive');
    expect(m?.reason).toBe('reads etc/passwd three directories up');
    expect(m?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    '....//....//....//etc/passwd',
    '..;/..;/..;/WEB-INF/web.xml',
    '..%252f..%252f..%252fetc%252fpasswd',
    '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/shadow',
    '..\\..\\..\\windows\\win.ini',
    '..∕..∕..∕etc∕passwd',
  ])('reads the evasive climb %s', (value) => {
    const m = detectPathTraversal(value);
    expect(m).toBeDefined();
    expect(m!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('reports absolute secrets, file: URIs and PHP wrappers', () => {
    expect(detectPathTraversal('/etc/shadow')?.fingerprint).toBe('abs:sensitive');
    expect(detectPathTraversal('C:\\Windows\\win.ini')?.fingerprint).toBe('abs:sensitive');
    expect(detectPathTraversal('file:///etc/passwd')?.fingerprint).toBe('uri:file+sensitive');
    expect(detectPathTraversal('php://filter/convert.base64-encode/resource=index.php')?.fingerprint).toBe('wrapper:php');
    expect(detectPathTraversal('phar://uploads/a.jpg/x.php')?.fingerprint).toBe('wrapper:phar');
  });

  it.each([
    ['C:\\Users\\Administrator\\NTUSER.DAT', 'abs:sensitive'],
    ['C:\\pagefile.sys', 'abs:sensitive'],
    ['C:\\xampp\\apache\\logs\\access.log', 'abs:system'],
    ['index.php::$DATA', 'ads:data'],
    ['web.config::$x::$data', 'ads:data'],
    ['\\\\?\\C:\\Windows\\win.ini', 'abs:sensitive'],
    ['\\\\.\\C:\\boot.ini', 'abs:sensitive'],
    ['%SYSTEMROOT%\\win.ini', 'abs:sensitive'],
    ['%WINDIR%\\system32\\drivers\\etc\\hosts', 'abs:system'],
    ['C:\\Documents and Settings\\Administrator\\ntuser.dat', 'abs:sensitive'],
    ['C:\\Program Files (x86)\\FileZilla Server\\FileZilla Server.xml', 'abs:sensitive'],
  ])('reads the Windows target %s', (value, fingerprint) => {
    const m = detectPathTraversal(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    'C:\\Users\\me\\Documents\\cv.docx',
    'C:\\Program Files\\My App\\app.exe',
    'C:\\Users\\me\\My Documents\\report final.pdf',
    '%APPDATA%\\MyApp\\settings.ini',
    '%USERPROFILE%\\Downloads',
    'My prompt says PS C:\\Users\\me>',
  ])('leaves the user path %s alone', (value) => {
    expect(detectPathTraversal(value)).toBeUndefined();
  });

  it('weighs a bare relative climb weakly and ignores one in prose', () => {
    expect(detectPathTraversal('../img/a.png')?.confidence).toBe(0.35);
    expect(detectPathTraversal('../../img/a.png')?.confidence).toBe(0.55);
    expect(detectPathTraversal("import x from '../../lib/x'")).toBeUndefined();
    expect(detectPathTraversal('see ../../../../ for the root')?.confidence).toBe(0.6);
  });

  it.each([
    'docs/intro.md',
    'images/2024/a.png',
    '1..2',
    'wait...',
    'https://example.com/a/b/c',
    'application/json',
    '[guide](../guide/intro.md)',
    '/images/etc/banner.png',
    'passwd',
    'Logs are under /var/log/myapp/',
  ])('leaves %s alone', (value) => {
    expect(detectPathTraversal(value)).toBeUndefined();
  });

  it('bounds the fragment', () => {
    const m = detectPathTraversal(`${'../'.repeat(100)}etc/passwd`);
    expect(m?.fragment.length).toBeLessThanOrEqual(120);
  });
});
