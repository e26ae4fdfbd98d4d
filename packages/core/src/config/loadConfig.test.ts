import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from './loadConfig';
import { testConfigSchema as schema } from './testSchema';
import { configErrorOf } from './testConfigError';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sidetap-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const load = (file: string | undefined, env: Record<string, string> = {}) => loadConfig(schema, { file, env });
const errorOf = configErrorOf;

describe('loadConfig files', () => {
  it('gives every default for no file, an empty file and a comments-only file', () => {
    const defaults = load(undefined);
    expect(defaults.capture.flowTableMax).toBe(100);
    expect(defaults.logging.level).toBe('info');
    expect(defaults.actor.jwt.algorithms).toEqual(['RS256']);
    expect(load(write('empty.yaml', ''))).toEqual(defaults);
    expect(load(write('comments.yml', '# nothing yet\n'))).toEqual(defaults);
  });

  it('reads YAML and JSON by extension', () => {
    const y = load(write('a.yaml', 'capture:\n  flowTableMax: 5\n  vxlanPorts: [4789, 8472]\nlogging:\n  level: debug\n'));
    expect(y.capture).toMatchObject({ flowTableMax: 5, vxlanPorts: [4789, 8472], idleSec: 300 });
    expect(y.logging.level).toBe('debug');
    const j = load(write('a.json', '{"capture": {"flowTableMax": 7}}'));
    expect(j.capture.flowTableMax).toBe(7);
  });

  it('names the file, the dotted option and what was expected', () => {
    const file = write('bad.yaml', 'capture:\n  flowTableMax: abc\n');
    const err = errorOf(() => load(file));
    expect(err.message).toBe(`${file}: capture.flowTableMax: expected a positive integer, got "abc".`);
    expect(err.option).toBe('capture.flowTableMax');
    expect(errorOf(() => load(write('range.yaml', 'capture:\n  maxTunnelDepth: 9\n'))).message).toMatch(/capture\.maxTunnelDepth: expected an integer from 0 to 8, got 9\.$/);
    expect(errorOf(() => load(write('port.yaml', 'capture:\n  vxlanPorts: [4789, 0]\n'))).message).toMatch(/capture\.vxlanPorts\.1: expected an integer from 1 to 65535, got 0\.$/);
    expect(errorOf(() => load(write('enum.yaml', 'logging:\n  level: loud\n'))).message).toMatch(/logging\.level: expected one of error, warn, info, debug, got "loud"\.$/);
    expect(errorOf(() => load(write('bool.yaml', 'capture:\n  keepBodies: "yes"\n'))).message).toMatch(/capture\.keepBodies: expected true or false, got "yes"\.$/);
    expect(errorOf(() => load(write('list.yaml', 'actor:\n  jwt:\n    algorithms: []\n'))).message).toMatch(/actor\.jwt\.algorithms: expected a list of at least 1 items, got \[\]\.$/);
    expect(errorOf(() => load(write('section.yaml', 'capture: 3\n'))).message).toMatch(/: capture: expected a mapping, got 3\.$/);
  });

  it('names an unknown option and the known ones', () => {
    const file = write('unknown.yaml', 'capture:\n  flowTableMaxx: 5\n');
    expect(errorOf(() => load(file)).message).toBe(
      `${file}: capture.flowTableMaxx is not a known option (known: flowTableMax, idleSec, maxTunnelDepth, vxlanPorts, redactHeaders, keepBodies).`,
    );
    expect(errorOf(() => load(write('section2.yaml', 'captur: {}\n'))).message).toMatch(/: captur is not a known option \(known: capture, logging, actor, webhooks, window\)\.$/);
  });

  it('offers the closest names when a section has many options', () => {
    const many = z.object({ s: z.object(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`option${i}Value`, z.number().default(i)]))).strict().prefault({}) }).strict();
    const file = write('many.yaml', 's:\n  option3Valeu: 1\n');
    expect(errorOf(() => loadConfig(many, { file, env: {} })).message).toBe(`${file}: s.option3Valeu is not a known option (closest known: option3Value, option0Value, option1Value; 12 in all).`);
  });

  it('passes refinement messages through as the end of the sentence', () => {
    const file = write('window.yaml', 'window:\n  startSec: 10\n  endSec: 5\n');
    expect(errorOf(() => load(file)).message).toBe(`${file}: window: endSec must be after startSec.`);
  });

  it('says when a required option is missing', () => {
    const required = z.object({ sink: z.object({ url: z.string() }).strict() }).strict();
    const file = write('req.yaml', 'sink: {}\n');
    expect(errorOf(() => loadConfig(required, { file, env: {} })).message).toBe(`${file}: sink.url: missing, expected a string.`);
  });

  it('reports a missing file, an unknown extension and a top level that is not a mapping', () => {
    const missing = join(dir, 'nope.yaml');
    expect(errorOf(() => load(missing)).message).toBe(`${missing}: no such file.`);
    const toml = write('x.toml', 'a = 1');
    expect(errorOf(() => load(toml)).message).toBe(`${toml}: unknown config format ".toml"; use .yaml, .yml or .json.`);
    const list = write('list2.yaml', '- 1\n- 2\n');
    expect(errorOf(() => load(list)).message).toBe(`${list}: expected a mapping of sections at the top level, got a list.`);
  });

  it('gives the line of a syntax error', () => {
    const yaml = write('syntax.yaml', 'capture:\n  flowTableMax: 5\n  vxlanPorts: [1,\nlogging: {}\n');
    expect(errorOf(() => load(yaml)).message).toMatch(new RegExp(`^${escape(yaml)}: line 4, column \\d+: .+\\.$`));
    const dup = write('dup.yaml', 'capture: {}\ncapture: {}\n');
    expect(errorOf(() => load(dup)).message).toBe(`${dup}: line 2, column 1: map keys must be unique.`);
    const json = write('syntax.json', '{\n  "capture": {\n    "flowTableMax": 5,\n  }\n}\n');
    expect(errorOf(() => load(json)).message).toMatch(new RegExp(`^${escape(json)}: line 4, column 3: .+\\.$`));
  });

  it('refuses YAML it would read only with a warning, such as an unknown tag', () => {
    const file = write('tag.yaml', 'capture:\n  flowTableMax: !big 5\n');
    expect(errorOf(() => load(file)).message).toMatch(/: line 2, column 17: unresolved tag: !big\.$/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
