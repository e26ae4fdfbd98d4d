// The deployment examples under deploy/, checked without Docker or a cluster: the Compose file and
// the Kubernetes manifests parse, every image is pinned (sidetap's own built from deploy/Dockerfile),
// every host:port one service uses is a port the other really listens on, every `sidetap ...`
// command line in them and in the deployment docs passes the CLI's own check (`sidetap --check`:
// its flags, the config it mounts with the container's environment, the files it names), and the
// demo gateway's NGINX config really mirrors requests (a real nginx started here on 127.0.0.1).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '@sidetap/core';
import { main, sidetapConfigSchema } from '@sidetap/cli';
import type { SidetapConfig } from '@sidetap/cli';

// ---------------------------------------------------------------------------------------------
// `sidetap --check <command> ...` runs a command's own parsing and validation and stops where it
// would first connect to anything or write anything. Each line runs in this process with the
// container's SIDETAP_* environment (and no other), and with the container's mounts laid out under
// a root of its own: every absolute path in the line and its environment is taken inside that
// root, so a file the container does not mount is missing here too.

interface Mount {
  /** Where the container sees it. */
  container: string;
  /** A file's content; a directory (a volume) when absent. */
  content?: string | Buffer;
}

interface LineContext {
  where: string;
  env: Record<string, string>;
  /** The container's mounts; none for a line a reader runs from the repository root (the docs'). */
  mounts?: Mount[];
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with `env` as its only SIDETAP_* variables. */
async function runCli(argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith('SIDETAP_'));
  for (const [k] of saved) delete process.env[k];
  Object.assign(process.env, env);
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  try {
    const code = await main(argv, { stdout, stderr: { isTTY: false, write: (s: string) => ((stderr += s), true) } });
    return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
    for (const [k, v] of saved) process.env[k] = v;
  }
}

const checkRoots = mkdtempSync(join(tmpdir(), 'sidetap-deploy-check-'));
afterAll(() => rmSync(checkRoots, { recursive: true, force: true }));
let lineCount = 0;

/** Lays the mounts out under a new root; gives the mapping of the container's paths into it. */
function layOut(mounts: readonly Mount[]): (p: string) => string {
  const base = join(checkRoots, String(++lineCount));
  mkdirSync(base);
  for (const m of mounts) {
    const at = join(base, m.container);
    if (m.content === undefined) mkdirSync(at, { recursive: true });
    else {
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, m.content);
    }
  }
  return (p) => (isAbsolute(p) ? join(base, p) : p);
}

/** A relative path in a docs line (it has a slash, and no scheme), as seen from the repository root. */
const fromRepository = (p: string): string => (!isAbsolute(p) && p.includes('/') && !p.includes(':') ? join(root, p) : p);

interface CheckedLine {
  /** The configuration the line's --config and environment give, loaded as the CLI loads it. */
  config: () => SidetapConfig;
}

/** Checks one command line with `sidetap --check`; it must print `ok: sidetap <command>` and nothing else. */
async function checkCommandLine(line: string[], ctx: LineContext): Promise<CheckedLine> {
  // A docs line may show the check itself.
  const argv = line[0] === '--check' ? line.slice(1) : line;
  const label = `${ctx.where}: sidetap ${argv.join(' ')}`;
  const inRoot = ctx.mounts === undefined ? fromRepository : layOut(ctx.mounts);
  const env = Object.fromEntries(Object.entries(ctx.env).map(([k, v]) => [k, inRoot(v)]));
  const args = argv.map(inRoot);
  const r = await runCli(['--check', ...args], env);
  expect({ line: label, code: r.code, stderr: r.stderr, ok: r.stdout.startsWith(`ok: sidetap ${argv[0]}`) }).toEqual({ line: label, code: 0, stderr: '', ok: true });
  const file = flag(args, '--config');
  return { config: () => loadConfig(sidetapConfigSchema, { file, env }) };
}

describe('sidetap --check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sidetap-cli-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('stops a line that would run before it connects to Redis or Kafka or writes its store', async () => {
    const store = join(dir, 'never-made');
    // Nothing listens on port 1: a run that got as far as connecting would fail there.
    const line = ['run', 'sessionizer', '--brokers', '127.0.0.1:1', '--redis', 'redis://127.0.0.1:1/0', '--store', store, '--metrics', '127.0.0.1:0'];
    expect(await runCli(['--check', ...line])).toEqual({ code: 0, stdout: 'ok: sidetap run sessionizer\n', stderr: '' });
    expect(existsSync(store)).toBe(false);
    const token = write('mirror.token', 'mirror-token-0123456789\n');
    expect(await runCli(['--check', 'collect', '--mirror-http', '127.0.0.1:1', '--mirror-token-file', token, '--store', store])).toEqual({ code: 0, stdout: 'ok: sidetap collect\n', stderr: '' });
    expect(existsSync(store)).toBe(false);
  });

  it('fails a bad line with exit 2 and the very sentence a real run gives', async () => {
    const badSink = write('bad-sink.yaml', 'indexer:\n  sink: nowhere\n');
    const good = write('good.yaml', 'indexer:\n  sink: elasticsearch\n');
    const shortKeyStore = join(dir, 'short-key-store');
    mkdirSync(shortKeyStore);
    writeFileSync(join(shortKeyStore, 'redaction.key'), 'short');
    const lines: Array<{ argv: string[]; env?: Record<string, string>; says: RegExp }> = [
      { argv: ['run', 'sessionizer', '--brokerz', 'kafka:9092'], says: /^sidetap run: .*--brokerz/ },
      { argv: ['run', 'sessionizr', '--brokers', 'kafka:9092'], says: /name a stage/ },
      { argv: ['run', 'indexer', '--brokers', 'kafka:9092', '--config', badSink], says: /indexer\.sink/ },
      { argv: ['run', 'indexer', '--brokers', 'kafka:9092', '--config', good], env: { SIDETAP_INDEXER__SINKS: 'elasticsearch' }, says: /SIDETAP_INDEXER__SINKS/ },
      { argv: ['run', 'anomaly', '--brokers', 'kafka:9092', '--config', join(dir, 'absent.yaml')], says: /absent\.yaml/ },
      { argv: ['kafka', 'setup', '--brokers', 'kafka'], says: /^--brokers: expected host:port/ },
      { argv: ['es', 'setup', '--node', 'http://elasticsearch:9200', '--namespace', 'Not OK'], says: /^--namespace: expected lower-case letters/ },
      { argv: ['collect', '--mirror-http', '127.0.0.1:9400', '--mirror-token-file', join(dir, 'absent.token')], says: /absent\.token/ },
      { argv: ['collect', '--iface', 'eth0', '--snaplen', 'big'], says: /^--snaplen: / },
      { argv: ['replay', join(dir, 'absent.pcap')], says: /absent\.pcap: no such file/ },
      { argv: ['replay', DEMO_PCAP, '--store', join(dir, 'short-env-key')], env: { SIDETAP_REDACTION_KEY: 'too-short' }, says: /^SIDETAP_REDACTION_KEY must be at least 16 characters/ },
      { argv: ['capture', DEMO_PCAP, '--store', shortKeyStore], says: /redaction\.key holds fewer than 16 bytes/ },
    ];
    for (const { argv, env, says } of lines) {
      const real = await runCli(argv, env);
      const checked = await runCli(['--check', ...argv], env);
      expect({ argv, code: checked.code, stdout: checked.stdout, stderr: checked.stderr }).toEqual({ argv, code: 2, stdout: '', stderr: real.stderr });
      expect({ argv, real: real.code }).toEqual({ argv, real: 2 });
      expect(checked.stderr.trim().split('\n')).toEqual([expect.stringMatching(says)]);
    }
  });

  it('loads the mounted configuration with the environment it is given', async () => {
    const file = write('sidetap.yaml', 'indexer:\n  sink: elasticsearch\n');
    const line = await checkCommandLine(['run', 'indexer', '--brokers', 'kafka:9092', '--config', '/etc/sidetap/sidetap.yaml'], {
      where: 'test',
      env: { SIDETAP_INDEXER__ELASTICSEARCH__NODE: 'http://es.example:9200' },
      mounts: [{ container: '/etc/sidetap/sidetap.yaml', content: readFileSync(file) }],
    });
    expect(line.config()).toMatchObject({ indexer: { sink: 'elasticsearch', elasticsearch: { node: 'http://es.example:9200' } } });
    // Not mounted in the container, so not there for the check either.
    const r = await runCli(['--check', 'run', 'indexer', '--brokers', 'kafka:9092', '--config', join(dir, 'etc/sidetap/sidetap.yaml')]);
    expect(r.code).toBe(2);
  });

  it('refuses commands it cannot stop before they act, rather than run them', async () => {
    const store = join(dir, 'findings-store');
    expect(await runCli(['--check', 'findings', '--store', store])).toEqual({ code: 2, stdout: '', stderr: 'sidetap --check: checks capture, collect, es, kafka, replay, run command lines, not "findings".\n' });
    expect(existsSync(store)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Shared helpers.

const root = join(__dirname, '..');
const deploy = join(root, 'deploy');
const SIDETAP_VERSION = (JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
const SIDETAP_IMAGE = `sidetap:${SIDETAP_VERSION}`;
const STAGES = ['sessionizer', 'anomaly', 'indexer', 'responder'];
const DEMO_PCAP = join(root, 'fixtures/pcaps/demo.pcap');
/** A third-party image pinned to a release: a tag with major.minor.patch, never latest. */
const PINNED = /^[\w.\-/]+:\d+\.\d+\.\d+[\w.-]*$/;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** host:port pairs in free text (URLs, flags, nginx directives, quorum voters). */
function hostPorts(text: string): Array<{ host: string; port: number }> {
  return [...text.matchAll(/(?:^|[\s/@,="'\[])([a-z0-9][a-z0-9.-]*):(\d{2,5})\b/gi)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
}

/** The value of `--flag` in an argument list. */
const flag = (argv: string[], name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};

/** Ports a sidetap process listens on, from its own flags. */
function sidetapListens(argv: string[]): number[] {
  return ['--metrics', '--mirror-http']
    .map((f) => flag(argv, f))
    .filter((v): v is string => v !== undefined)
    .map((v) => Number(v.slice(v.lastIndexOf(':') + 1)));
}

// ---------------------------------------------------------------------------------------------
// Compose.

const composeDir = join(deploy, 'compose');
const compose = parse(readFileSync(join(composeDir, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Json>; volumes?: Json; secrets?: Json };
const services = compose.services;

/** Compose's ${VAR:?message} and ${VAR:-default}: a value as it would be when the variables are set. */
const interpolate = (s: string): string => s.replace(/\$\{([A-Z0-9_]+)(?::[?-][^}]*)?\}/g, (_, name: string) => `test-${name.toLowerCase()}-0123456789abcdef`);

const argvOf = (svc: Json): string[] => (Array.isArray(svc['command']) ? (svc['command'] as unknown[]).map(String) : []);
const envOf = (svc: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(isRecord(svc['environment']) ? svc['environment'] : {}).map(([k, v]) => [k, interpolate(String(v))]));
const bindMounts = (svc: Json): Array<{ host: string; container: string }> =>
  (Array.isArray(svc['volumes']) ? (svc['volumes'] as string[]) : [])
    .map((v) => v.split(':'))
    .filter((p) => p[0]!.startsWith('.'))
    .map((p) => ({ host: resolve(composeDir, p[0]!), container: p[1]! }));
/** What a service's container mounts: bind-mounted files, named volumes (directories) and secrets under /run/secrets. */
function composeMounts(svc: Json): Mount[] {
  const files = bindMounts(svc).map((m) => ({ container: m.container, content: readFileSync(m.host) }));
  const volumes = (Array.isArray(svc['volumes']) ? (svc['volumes'] as string[]) : []).filter((v) => !v.startsWith('.')).map((v) => ({ container: v.split(':')[1]! }));
  const secrets = (Array.isArray(svc['secrets']) ? (svc['secrets'] as string[]) : []).map((name) => {
    const from = (compose.secrets ?? {})[name];
    const variable = isRecord(from) ? String(from['environment']) : undefined;
    if (variable === undefined) throw new Error(`secret ${name}: this test knows secrets from the environment only; teach composeMounts`);
    return { container: `/run/secrets/${name}`, content: interpolate(`\${${variable}}`) };
  });
  return [...files, ...volumes, ...secrets];
}
const isSidetap = (svc: Json): boolean => svc['image'] === SIDETAP_IMAGE;
/** A sidetap-image service that runs the sidetap command (not a demo script on the same image). */
const runsSidetap = (svc: Json): boolean => isSidetap(svc) && svc['entrypoint'] === undefined;

function composeListens(name: string): number[] {
  const svc = services[name]!;
  const image = String(svc['image']);
  const env = envOf(svc);
  if (isSidetap(svc)) return runsSidetap(svc) ? sidetapListens(argvOf(svc)) : env['PORT'] === undefined ? [] : [Number(env['PORT'])];
  if (image.startsWith('apache/kafka:')) return hostPorts(` ${env['KAFKA_LISTENERS'] ?? ''}`).map((h) => h.port);
  if (image.startsWith('docker.elastic.co/elasticsearch/')) return [9200, 9300];
  if (image.startsWith('docker.elastic.co/kibana/')) return [Number(env['SERVER_PORT'] ?? 5601)];
  if (image.startsWith('redis:')) return [Number(flag(argvOf(svc), '--port') ?? 6379)];
  if (image.startsWith('nginx:')) {
    return bindMounts(svc).flatMap((m) => [...readFileSync(m.host, 'utf8').matchAll(/^\s*listen\s+(?:[\d.]+:)?(\d+)/gm)].map((x) => Number(x[1])));
  }
  throw new Error(`${name}: this test does not know what ${image} listens on; teach composeListens`);
}

/** Every piece of text a service uses to reach others: command, environment, health check, mounted configs. */
function composeTexts(name: string): string[] {
  const svc = services[name]!;
  const texts = [...argvOf(svc), ...Object.values(envOf(svc))];
  const hc = svc['healthcheck'];
  if (isRecord(hc) && Array.isArray(hc['test'])) texts.push(...(hc['test'] as unknown[]).map(String));
  for (const m of bindMounts(svc)) if (/\.(conf|template)$/.test(m.host)) texts.push(readFileSync(m.host, 'utf8'));
  return texts;
}

describe('deploy/compose', () => {
  it('has Kafka in KRaft mode, Elasticsearch and Kibana of one version, Redis, every stage, the collector, both setups and the demo gateway', () => {
    const kafka = envOf(services['kafka']!);
    expect(kafka['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(Object.keys(services).some((s) => /zookeeper/i.test(s))).toBe(false);
    const es = String(services['elasticsearch']!['image']);
    const kibana = String(services['kibana']!['image']);
    expect(es.split(':')[1]).toBe(kibana.split(':')[1]);
    expect(services['redis']!['image']).toMatch(/^redis:/);
    const commands = Object.values(services).filter(runsSidetap).map((s) => argvOf(s).slice(0, 2).join(' '));
    expect(commands).toEqual(expect.arrayContaining([...STAGES.map((s) => `run ${s}`), 'kafka setup', 'es setup', 'collect --mirror-http']));
    const collector = argvOf(services['collector']!);
    expect(flag(collector, '--brokers')).toBe('kafka:9092');
    expect(String(services['gateway']!['image'])).toMatch(/^nginx:/);
    expect(readFileSync(join(composeDir, 'gateway/default.conf.template'), 'utf8')).toMatch(/^\s*mirror \/_sidetap_mirror;/m);
  });

  it('pins every image, and builds sidetap\'s own from deploy/Dockerfile', () => {
    for (const [name, svc] of Object.entries(services)) {
      const image = String(svc['image']);
      if (isSidetap(svc)) {
        const build = svc['build'] as { context: string; dockerfile: string };
        expect({ name, dockerfile: existsSync(join(resolve(composeDir, build.context), build.dockerfile)) }).toEqual({ name, dockerfile: true });
        expect(resolve(composeDir, build.context)).toBe(root);
      } else {
        expect({ name, image }).toEqual({ name, image: expect.stringMatching(PINNED) });
      }
    }
  });

  it('points every host:port at a port that service listens on', () => {
    const names = new Set(Object.keys(services));
    const checked: string[] = [];
    for (const name of names) {
      for (const text of composeTexts(name)) {
        for (const { host, port } of hostPorts(` ${text}`)) {
          const target = host === 'localhost' || host === '127.0.0.1' ? name : host;
          if (!names.has(target)) continue;
          expect({ from: name, to: `${host}:${port}`, listens: composeListens(target).includes(port) }).toEqual({ from: name, to: `${host}:${port}`, listens: true });
          checked.push(`${name}→${target}:${port}`);
        }
      }
    }
    // The references that tie the pipeline together are among those checked.
    expect(checked).toEqual(
      expect.arrayContaining(['sessionizer→kafka:9092', 'sessionizer→redis:6379', 'kibana→elasticsearch:9200', 'es-setup→kibana:5601', 'gateway→demo-api:8080', 'gateway→collector:9400', 'traffic→gateway:8080', 'indexer→indexer:9464']),
    );
  });

  it('publishes ports on 127.0.0.1 only, and only ports the service listens on', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const p of Array.isArray(svc['ports']) ? (svc['ports'] as string[]) : []) {
        const [ip, , container] = p.split(':');
        expect({ name, p, ip, listens: composeListens(name).includes(Number(container)) }).toEqual({ name, p, ip: '127.0.0.1', listens: true });
      }
    }
  });

  it('refers only to services, volumes, secrets and files that exist', () => {
    const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
    for (const [name, svc] of Object.entries(services)) {
      const deps = Array.isArray(svc['depends_on']) ? (svc['depends_on'] as string[]) : Object.keys(isRecord(svc['depends_on']) ? svc['depends_on'] : {});
      for (const d of deps) expect({ name, dependsOn: d, exists: d in services }).toEqual({ name, dependsOn: d, exists: true });
      for (const v of Array.isArray(svc['volumes']) ? (svc['volumes'] as string[]) : []) {
        const source = v.split(':')[0]!;
        const ok = source.startsWith('.') ? existsSync(resolve(composeDir, source)) : declaredVolumes.has(source);
        expect({ name, volume: v, ok }).toEqual({ name, volume: v, ok: true });
      }
      for (const s of Array.isArray(svc['secrets']) ? (svc['secrets'] as string[]) : []) expect(Object.keys(compose.secrets ?? {})).toContain(s);
    }
    // A service a stage waits to complete must be a one-shot that stops (no restart loop).
    for (const svc of Object.values(services)) {
      for (const [d, how] of Object.entries(isRecord(svc['depends_on']) ? svc['depends_on'] : {})) {
        if (isRecord(how) && how['condition'] === 'service_completed_successfully') expect(services[d]!['restart']).toBe('on-failure');
      }
    }
  });

  it('requires every variable it interpolates, and the walkthrough says how to set each', () => {
    const text = readFileSync(join(composeDir, 'compose.yaml'), 'utf8');
    const uses = [...text.matchAll(/\$\{([A-Z0-9_]+)(:[?-])?/g)];
    expect(uses.length).toBeGreaterThan(0);
    const docs = readFileSync(join(root, 'docs/deployment.md'), 'utf8');
    for (const [, name, form] of uses) {
      expect({ name, form }).toEqual({ name, form: ':?' });
      expect(docs).toContain(`export ${name}=`);
    }
  });

  it('runs sidetap command lines that pass `sidetap --check` with what the service mounts', async () => {
    const checked: string[] = [];
    for (const [name, svc] of Object.entries(services)) {
      if (!runsSidetap(svc)) continue;
      const line = await checkCommandLine(argvOf(svc), { where: `compose service ${name}`, env: envOf(svc), mounts: composeMounts(svc) });
      checked.push(name);
      if (name === 'indexer') expect(line.config()).toMatchObject({ indexer: { sink: 'elasticsearch', elasticsearch: { node: 'http://elasticsearch:9200' } } });
    }
    expect(checked).toEqual(expect.arrayContaining([...STAGES, 'collector', 'kafka-setup', 'es-setup']));
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes.

const k8sDir = join(deploy, 'k8s');
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Json;
  data?: Record<string, string>;
  file: string;
}
const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; images: Array<{ name: string; newTag: string }> };
const manifests: K8sObject[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((d) => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return { ...(d.toJS() as Omit<K8sObject, 'file'>), file };
  }),
);
const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, m.data ?? {}]));

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: Json }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: Json;
  livenessProbe?: Json;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  securityContext?: Json;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; configMap?: { name: string } }>;
  hostNetwork?: boolean;
}
const workloads = manifests.filter((m) => ['Deployment', 'DaemonSet', 'Job'].includes(m.kind));
const podOf = (w: K8sObject): { labels: Record<string, string>; spec: PodSpec } => {
  const template = (w.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } }).template;
  return { labels: template.metadata?.labels ?? {}, spec: template.spec };
};
const containersOf = (w: K8sObject): Container[] => [...(podOf(w).spec.initContainers ?? []), ...podOf(w).spec.containers];

const secretPlaceholder = (ref: Json): string => `test-secret-${String(ref['name'])}-${String(ref['key'])}`;
/** A container's environment as the kubelet would set it (secrets as placeholders). */
function k8sEnv(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    const from = e.valueFrom;
    if (isRecord(from) && isRecord(from['configMapKeyRef'])) {
      const ref = from['configMapKeyRef'];
      const value = configMaps.get(String(ref['name']))?.[String(ref['key'])];
      if (value === undefined) throw new Error(`${c.name}: ${e.name} names ConfigMap key ${String(ref['name'])}/${String(ref['key'])}, which does not exist`);
      env[e.name] = value;
    } else if (isRecord(from) && isRecord(from['secretKeyRef'])) env[e.name] = secretPlaceholder(from['secretKeyRef']);
    else if (isRecord(from) && isRecord(from['fieldRef'])) env[e.name] = 'sidetap-pod-0';
  }
  return env;
}
/** Arguments after the kubelet's $(VAR) expansion. */
const k8sArgs = (c: Container): string[] => {
  const env = k8sEnv(c);
  return (c.args ?? []).map((a) =>
    a.replace(/\$\(([A-Z0-9_]+)\)/g, (_, v: string) => {
      if (env[v] === undefined) throw new Error(`${c.name}: argument ${a} uses $(${v}), which the container's env does not define`);
      return env[v];
    }),
  );
};

/** What a container mounts: each key of a ConfigMap volume as a file, any other volume as a directory. */
function k8sMounts(w: K8sObject, c: Container): Mount[] {
  const volumes = podOf(w).spec.volumes ?? [];
  return (c.volumeMounts ?? []).flatMap((m): Mount[] => {
    const cm = volumes.find((v) => v.name === m.name)?.configMap?.name;
    if (cm === undefined) return [{ container: m.mountPath }];
    return Object.entries(configMaps.get(cm) ?? {}).map(([key, content]) => ({ container: `${m.mountPath}/${key}`, content }));
  });
}

describe('deploy/k8s', () => {

  it('lists every manifest in the kustomization, each a named object in the sidetap namespace', () => {
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    for (const m of manifests) {
      expect({ file: m.file, name: typeof m.metadata?.name, apiVersion: typeof m.apiVersion }).toEqual({ file: m.file, name: 'string', apiVersion: 'string' });
      if (m.kind !== 'Namespace') expect({ object: `${m.kind}/${m.metadata.name}`, namespace: m.metadata.namespace }).toEqual({ object: `${m.kind}/${m.metadata.name}`, namespace: 'sidetap' });
    }
  });

  it('runs a node-level capture DaemonSet and a Deployment per stage, all on the pinned sidetap image', () => {
    const collector = manifests.find((m) => m.kind === 'DaemonSet')!;
    const pod = podOf(collector).spec;
    expect(pod.hostNetwork).toBe(true);
    const c = pod.containers[0]!;
    expect(c.securityContext).toMatchObject({ capabilities: { add: expect.arrayContaining(['NET_RAW', 'NET_ADMIN']) } });
    const argv = k8sArgs(c);
    expect(argv[0]).toBe('collect');
    expect(flag(argv, '--iface')).toBe(configMaps.get('sidetap-endpoints')!['CAPTURE_IFACE']);
    expect(flag(argv, '--brokers')).toMatch(/^[\w.-]+:\d+$/);
    const stages = manifests.filter((m) => m.kind === 'Deployment').map((d) => k8sArgs(podOf(d).spec.containers[0]!).slice(0, 2).join(' '));
    expect(stages.sort()).toEqual(STAGES.map((s) => `run ${s}`).sort());
    for (const w of workloads) for (const ct of containersOf(w)) expect({ container: ct.name, image: ct.image }).toEqual({ container: ct.name, image: SIDETAP_IMAGE });
    expect(kustomization.images).toEqual([expect.objectContaining({ name: 'sidetap', newTag: SIDETAP_VERSION })]);
  });

  it('matches container ports to what each process listens on, and Services and probes to container ports', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        const listens = c.args?.[0] === 'run' || c.args?.[0] === 'collect' ? sidetapListens(k8sArgs(c)) : [];
        const declared = (c.ports ?? []).map((p) => p.containerPort);
        if (!podOf(w).spec.hostNetwork) expect({ container: c.name, declared: declared.sort() }).toEqual({ container: c.name, declared: listens.sort() });
        for (const probe of [c.readinessProbe, c.livenessProbe]) {
          const port = isRecord(probe) && isRecord(probe['httpGet']) ? probe['httpGet']['port'] : undefined;
          if (port !== undefined) expect({ container: c.name, probe: (c.ports ?? []).some((p) => p.name === port || p.containerPort === port) }).toEqual({ container: c.name, probe: true });
        }
      }
    }
    for (const svc of manifests.filter((m) => m.kind === 'Service')) {
      const spec = svc.spec as { selector: Record<string, string>; ports: Array<{ port: number; targetPort: string | number }> };
      const selected = workloads.filter((w) => Object.entries(spec.selector).every(([k, v]) => podOf(w).labels[k] === v));
      expect({ service: svc.metadata.name, selects: selected.length }).toEqual({ service: svc.metadata.name, selects: 1 });
      const ports = containersOf(selected[0]!).flatMap((c) => c.ports ?? []);
      for (const p of spec.ports) expect({ service: svc.metadata.name, targetPort: ports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort) }).toEqual({ service: svc.metadata.name, targetPort: true });
    }
  });

  it('names the external services as reachable addresses', () => {
    const endpoints = configMaps.get('sidetap-endpoints')!;
    for (const broker of endpoints['KAFKA_BROKERS']!.split(',')) expect(broker).toMatch(/^[a-z0-9.-]+:\d+$/);
    expect(endpoints['REDIS_URL']).toMatch(/^rediss?:\/\/[a-z0-9.-]+:\d+\/\d+$/);
    for (const url of [endpoints['ELASTICSEARCH_URL'], endpoints['KIBANA_URL']]) expect(() => new URL(url!)).not.toThrow();
  });

  it('runs sidetap command lines that pass `sidetap --check` with the ConfigMap\'s configuration', async () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        const line = await checkCommandLine(k8sArgs(c), { where: `k8s ${w.kind}/${w.metadata.name} ${c.name}`, env: k8sEnv(c), mounts: k8sMounts(w, c) });
        if (c.name === 'indexer') expect(line.config()).toMatchObject({ indexer: { sink: 'elasticsearch', elasticsearch: { node: configMaps.get('sidetap-endpoints')!['ELASTICSEARCH_URL'] } } });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The Dockerfile and the docs.

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');

  it('builds on node:20-bookworm-slim with libpcap and runs the sidetap command', () => {
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(dockerfile).toMatch(/libpcap-dev/);
    expect(dockerfile).toMatch(/libpcap0\.8/);
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/turbo run build/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \[.*"node", "packages\/cli\/bin\/sidetap\.js"\]$/m);
  });

  it('copies only paths that exist and that its .dockerignore lets into the build context', () => {
    const ignore = readFileSync(join(deploy, 'Dockerfile.dockerignore'), 'utf8');
    const allowed = [...ignore.matchAll(/^!(\S+)/gm)].map((m) => m[1]!.replace(/\/$/, ''));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect({ source: s, exists: existsSync(join(root, s)) }).toEqual({ source: s, exists: true });
      expect({ source: s, inContext: allowed.some((a) => s === a || s.startsWith(`${a}/`)) }).toEqual({ source: s, inContext: true });
    }
  });
});

/** Command lines in the fenced shell blocks of a Markdown file, `\` continuations joined. */
function docCommandLines(file: string): Array<{ argv: string[]; line: number }> {
  const out: Array<{ argv: string[]; line: number }> = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i]!)) {
      inBlock = !inBlock;
      continue;
    }
    if (!inBlock) continue;
    let text = lines[i]!;
    const start = i;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^\s*(?:npx sidetap|sidetap|node packages\/cli\/bin\/sidetap\.js)\s+(.*?)\s*(?:#.*)?$/.exec(text);
    if (m === null) continue;
    const argv = [...m[1]!.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((t) => t[1] ?? t[2] ?? t[3]!);
    out.push({ argv, line: start + 1 });
  }
  return out;
}

describe('deployment docs', () => {
  it.each(['docs/deployment.md', 'docs/kibana.md'])('%s: every sidetap command line is one the CLI accepts', async (doc) => {
    const lines = docCommandLines(join(root, doc));
    expect(lines.length).toBeGreaterThan(0);
    for (const { argv, line } of lines) await checkCommandLine(argv, { where: `${doc}:${line}`, env: {} });
  });
});

// ---------------------------------------------------------------------------------------------
// The demo gateway with a real nginx: it must proxy to the demo API and mirror every request,
// method, path, body and headers intact, with the client address and the collector token.

const NGINX = '/usr/sbin/nginx';

interface Mirrored {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const freePort = (): Promise<number> =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
  });

/** Polls until `probe` gives a value; gives up (fails, never hangs) after `limitMs`. */
function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  return new Promise((ok, fail) => {
    let tries = 0;
    const tick = async (): Promise<void> => {
      const value = await probe();
      if (value !== undefined) ok(value);
      else if (++tries * 25 > limitMs) fail(new Error(`gave up waiting for ${what}`));
      else setTimeout(() => void tick(), 25);
    };
    void tick();
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

/** The directives of the mirror location and the `mirror` lines, comments dropped, the token a placeholder. */
function mirrorDirectives(conf: string): string[] {
  const lines = conf
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '')
    .map((l) => l.replace(/"(__SIDETAP_MIRROR_TOKEN__|\$\{SIDETAP_MIRROR_TOKEN\})"/, '"<token>"'));
  const start = lines.indexOf('location = /_sidetap_mirror {');
  const end = lines.indexOf('}', start);
  return [...lines.filter((l) => /^mirror(_request_body)? /.test(l)), ...lines.slice(start, end + 1)];
}

describe('the demo gateway (real nginx)', () => {
  it('mirrors with the same directives as the published NGINX snippet (deploy/gateways/nginx)', () => {
    const demo = mirrorDirectives(readFileSync(join(composeDir, 'gateway/default.conf.template'), 'utf8'));
    const published = mirrorDirectives(readFileSync(join(deploy, 'gateways/nginx/sidetap-mirror.conf'), 'utf8'));
    expect(demo.length).toBeGreaterThan(10);
    expect(demo).toEqual(published);
  });

  const dir = mkdtempSync(join(tmpdir(), 'sidetap-gateway-'));
  const token = 'test-mirror-token-0123456789';
  const mirrored: Mirrored[] = [];
  let collector: Server;
  let api: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  let gateway = '';

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        mirrored.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', ok));
    const collectorPort = (collector.address() as AddressInfo).port;
    const [apiPort, gatewayPort] = [await freePort(), await freePort()];
    api = spawn(process.execPath, [join(composeDir, 'demo/api.mjs')], { env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(apiPort) }, stdio: 'ignore' });
    // The template as the nginx image renders it, with the Compose service names replaced by the
    // loopback ports this test uses, and loopback added to the trusted proxies (the demo network's place).
    const template = readFileSync(join(composeDir, 'gateway/default.conf.template'), 'utf8');
    const server = template
      .replaceAll('${SIDETAP_MIRROR_TOKEN}', token)
      .replace('http://demo-api:8080', `http://127.0.0.1:${apiPort}`)
      .replace('server collector:9400;', `server 127.0.0.1:${collectorPort};`)
      .replace(/listen 8080;/, `listen 127.0.0.1:${gatewayPort};`)
      .replace('real_ip_header X-Forwarded-For;', 'real_ip_header X-Forwarded-For;\n    set_real_ip_from 127.0.0.1;');
    expect(server).not.toMatch(/demo-api:|collector:|\$\{/);
    writeFileSync(join(dir, 'server.conf'), server);
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
        `  include ${dir}/server.conf;`,
        '}',
        '',
      ].join('\n'),
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    gateway = `http://127.0.0.1:${gatewayPort}`;
    await waitFor('the gateway and the demo API', async () => {
      try {
        return (await fetch(`${gateway}/health`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
    mirrored.length = 0;
  });

  afterAll(async () => {
    await stop(nginx);
    await stop(api);
    await new Promise<void>((ok) => collector.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('proxies to the demo API and mirrors each request with its body, client address and the collector token', async () => {
    const login = await fetch(`${gateway}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '81.2.69.160' },
      body: JSON.stringify({ username: 'alice', password: 'correct-horse' }),
    });
    expect(login.status).toBe(200);
    const { token: bearer } = (await login.json()) as { token: string };
    const account = await fetch(`${gateway}/api/v1/accounts/1002?view=full`, { headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': '81.2.69.160' } });
    expect(account.status).toBe(200);
    const copies = await waitFor('two mirrored requests', () => (mirrored.length >= 2 ? mirrored : undefined));
    expect(copies.map((m) => `${m.method} ${m.url}`)).toEqual(['POST /nginx/api/v1/login', 'GET /nginx/api/v1/accounts/1002?view=full']);
    expect(JSON.parse(copies[0]!.body)).toEqual({ username: 'alice', password: 'correct-horse' });
    for (const m of copies) expect(m.headers).toMatchObject({ 'x-real-ip': '81.2.69.160', 'x-sidetap-token': token });
    expect(copies[1]!.headers['authorization']).toBe(`Bearer ${bearer}`);
  });

  it('carries the demo traffic generator\'s users and attacks through to the mirror', async () => {
    mirrored.length = 0;
    const traffic = spawn(process.execPath, [join(composeDir, 'demo/traffic.mjs')], { env: { PATH: process.env.PATH ?? '', TARGET: gateway, PAUSE_MS: '0' }, stdio: 'ignore' });
    try {
      // Round 20 is the first with the attacker; 20 rounds of 3 users x 4 requests come before it.
      await waitFor('the attacker\'s SQL injection probe', () => (mirrored.some((m) => /UNION/.test(decodeURIComponent(m.url))) ? true : undefined), 50_000);
    } finally {
      await stop(traffic);
    }
    const ips = new Set(mirrored.map((m) => m.headers['x-real-ip']));
    expect([...ips].sort()).toEqual(['175.16.199.10', '216.160.83.56', '81.2.69.160', '89.160.20.112']);
    expect(mirrored.filter((m) => m.url === '/nginx/api/v1/login').length).toBeGreaterThan(60);
  }, 60_000);
});
