import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './configError';
import { loadConfig } from './loadConfig';
import { testConfigSchema as schema } from './testSchema';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sidetap-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (env: Record<string, string>, fileText?: string) => {
  let file: string | undefined;
  if (fileText !== undefined) {
    file = join(dir, 'sidetap.yaml');
    writeFileSync(file, fileText);
  }
  return loadConfig(schema, { file, env });
};
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('SIDETAP_* environment overrides', () => {
  it('maps SNAKE_CASE segments to the camelCase options and wins over the file', () => {
    const c = load({ SIDETAP_CAPTURE__FLOW_TABLE_MAX: '1000' }, 'capture:\n  flowTableMax: 5\n  idleSec: 9\n');
    expect(c.capture.flowTableMax).toBe(1000);
    expect(c.capture.idleSec).toBe(9);
    expect(load({ SIDETAP_ACTOR__JWT__KEY_FILE: '/etc/k.pem' }).actor.jwt.keyFile).toBe('/etc/k.pem');
  });

  it('reads values by the type of the option', () => {
    const c = load({
      SIDETAP_CAPTURE__KEEP_BODIES: 'false',
      SIDETAP_CAPTURE__IDLE_SEC: '2.5',
      SIDETAP_CAPTURE__VXLAN_PORTS: '4789, 8472',
      SIDETAP_CAPTURE__REDACT_HEADERS: 'x-secret,x-other',
      SIDETAP_LOGGING__LEVEL: 'debug',
      SIDETAP_ACTOR__JWT__ALGORITHMS: '["HS256"]',
    });
    expect(c.capture).toMatchObject({ keepBodies: false, idleSec: 2.5, vxlanPorts: [4789, 8472], redactHeaders: ['x-secret', 'x-other'] });
    expect(c.logging.level).toBe('debug');
    expect(c.actor.jwt.algorithms).toEqual(['HS256']);
    expect(load({ SIDETAP_CAPTURE__REDACT_HEADERS: '' }).capture.redactHeaders).toEqual([]);
  });

  it('sets a whole section from JSON, then lets a deeper variable refine it', () => {
    const c = load({ SIDETAP_CAPTURE: 'ignored: no double underscore', SIDETAP_ACTOR__JWT: '{"algorithms":["HS256"]}', SIDETAP_ACTOR__JWT__KEY_FILE: 'k' });
    expect(c.actor.jwt).toEqual({ algorithms: ['HS256'], keyFile: 'k' });
  });

  it('adds entries to a free-form mapping', () => {
    const c = load({ SIDETAP_WEBHOOKS__SLACK: '{"url":"https://hooks.example/x"}', SIDETAP_WEBHOOKS__SLACK__RETRIES: '5' }, 'webhooks:\n  slack:\n    url: https://a\n');
    expect(c.webhooks).toEqual({ slack: { url: 'https://hooks.example/x', retries: 5 } });
  });

  it('ignores variables without a double underscore, such as SIDETAP_REDACTION_KEY, and other prefixes', () => {
    expect(load({ SIDETAP_REDACTION_KEY: 'secret-key', OTHER__CAPTURE__X: '1', SIDETAP_STORE: 'x' })).toEqual(load({}));
  });

  it('names the variable when its value is not of the option type', () => {
    expect(messageOf(() => load({ SIDETAP_CAPTURE__FLOW_TABLE_MAX: 'x' }))).toBe('SIDETAP_CAPTURE__FLOW_TABLE_MAX: capture.flowTableMax: expected a positive integer, got "x".');
    expect(messageOf(() => load({ SIDETAP_CAPTURE__KEEP_BODIES: 'yes' }))).toBe('SIDETAP_CAPTURE__KEEP_BODIES: capture.keepBodies: expected true or false, got "yes".');
    expect(messageOf(() => load({ SIDETAP_CAPTURE__VXLAN_PORTS: '4789,x' }))).toBe('SIDETAP_CAPTURE__VXLAN_PORTS: capture.vxlanPorts: expected a list of integers from 1 to 65535, got "4789,x".');
    expect(messageOf(() => load({ SIDETAP_ACTOR__JWT: 'keyFile=k' }))).toBe('SIDETAP_ACTOR__JWT: actor.jwt: expected a mapping, got "keyFile=k".');
  });

  it('names the variable when the schema rejects the value it set', () => {
    expect(messageOf(() => load({ SIDETAP_CAPTURE__FLOW_TABLE_MAX: '-5' }, 'capture: {}\n'))).toBe('SIDETAP_CAPTURE__FLOW_TABLE_MAX: capture.flowTableMax: expected a positive integer, got "-5".');
    expect(messageOf(() => load({ SIDETAP_LOGGING__LEVEL: 'loud' }))).toBe('SIDETAP_LOGGING__LEVEL: logging.level: expected one of error, warn, info, debug, got "loud".');
    expect(messageOf(() => load({ SIDETAP_ACTOR__JWT: '{"keyFiel":"k"}' }))).toBe('SIDETAP_ACTOR__JWT: actor.jwt.keyFiel is not a known option (known: keyFile, algorithms).');
  });

  it('still blames the file for a fault in the file, whatever the environment sets elsewhere', () => {
    const file = join(dir, 'sidetap.yaml');
    expect(messageOf(() => load({ SIDETAP_CAPTURE__FLOW_TABLE_MAX: '10' }, 'capture:\n  idleSec: -1\n'))).toBe(`${file}: capture.idleSec: expected a positive number, got -1.`);
    expect(messageOf(() => load({ SIDETAP_CAPTURE__FLOW_TABLE_MAX: '10' }, 'capture:\n  idle: 1\n'))).toBe(`${file}: capture.idle is not a known option (known: flowTableMax, idleSec, maxTunnelDepth, vxlanPorts, redactHeaders, keepBodies).`);
  });

  it('refuses an override of an unknown option, explaining the convention', () => {
    expect(messageOf(() => load({ SIDETAP_CAPTURE__FLOW_TABLE_MAXX: '1' }))).toBe(
      'SIDETAP_CAPTURE__FLOW_TABLE_MAXX: capture.flowTableMaxx is not a known option (known: flowTableMax, idleSec, maxTunnelDepth, vxlanPorts, redactHeaders, keepBodies); ' +
        'overrides are named SIDETAP_<SECTION>__<KEY> with each key in SNAKE_CASE, e.g. SIDETAP_CAPTURE__MAX_FLOWS for capture.maxFlows.',
    );
    expect(messageOf(() => load({ SIDETAP_CAPTUR__FLOW_TABLE_MAX: '1' }))).toMatch(/^SIDETAP_CAPTUR__FLOW_TABLE_MAX: captur is not a known option \(known: capture, logging, actor, webhooks, window\); overrides are named/);
    expect(messageOf(() => load({ SIDETAP_CAPTURE__IDLE_SEC__X: '1' }))).toMatch(/^SIDETAP_CAPTURE__IDLE_SEC__X: capture\.idleSec\.x is not a known option \(no options are known here\)/);
    expect(messageOf(() => load({ SIDETAP_CAPTURE____X: '1' }))).toMatch(/^SIDETAP_CAPTURE____X: not a valid override name; overrides are named/);
  });

  it('refuses to reach through a value that is not a mapping', () => {
    expect(messageOf(() => load({ SIDETAP_ACTOR__JWT__KEY_FILE: 'k' }, 'actor:\n  jwt: 3\n'))).toBe('SIDETAP_ACTOR__JWT__KEY_FILE: cannot set actor.jwt.keyFile because actor.jwt is 3, not a mapping.');
  });

  it('honours another prefix', () => {
    expect(loadConfig(schema, { env: { APP_CAPTURE__FLOW_TABLE_MAX: '3', SIDETAP_CAPTURE__FLOW_TABLE_MAX: '4' }, prefix: 'APP_' }).capture.flowTableMax).toBe(3);
  });
});
