// Starts librdkafka's mock Kafka cluster (kafkaMock.c, compiled here with gcc on first use) on
// 127.0.0.1 for tests and benchmarks: a real Kafka protocol peer for kafkajs, since no broker can
// be installed on these machines. Topics are created through it (the mock has no CreateTopics),
// and brokers can be taken down and brought back for fault tests.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SOURCE = join(__dirname, 'kafkaMock.c');
const CACHE = join(__dirname, '../../node_modules/.cache/sidetap');

export interface KafkaMock {
  brokers: string[];
  pid: number;
  createTopic(name: string, partitions: number): Promise<void>;
  brokerDown(id?: number): Promise<void>;
  brokerUp(id?: number): Promise<void>;
  /** The next `count` requests of Kafka API `apiKey` fail with error `code`. */
  pushErrors(apiKey: number, count: number, code: number): Promise<void>;
  stop(): Promise<void>;
}

export function kafkaMockBinary(): string {
  const source = readFileSync(SOURCE);
  const binary = join(CACHE, `kafkaMock-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  if (!existsSync('/usr/include/librdkafka/rdkafka_mock.h')) {
    throw new Error('the Kafka test broker needs librdkafka-dev and gcc; run scripts/setup (as root it installs them)');
  }
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${binary}.${process.pid}`;
  execFileSync('gcc', ['-O1', '-Wall', '-o', tmp, SOURCE, '-lrdkafka'], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, binary);
  return binary;
}

export async function startKafkaMock(options: { brokers?: number; topics?: Record<string, number> } = {}): Promise<KafkaMock> {
  const child = spawn(kafkaMockBinary(), [String(options.brokers ?? 1)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      waiting.push(resolve);
      void exited.then(() => reject(new Error('the Kafka mock exited')));
    });

  const ready = await nextLine();
  if (!ready.startsWith('ready ')) throw new Error(`the Kafka mock said ${ready}`);
  // One command at a time, each answered by one line.
  let queue = Promise.resolve();
  const command = (text: string): Promise<void> => {
    const run = queue.then(async () => {
      child.stdin.write(`${text}\n`);
      const answer = await nextLine();
      if (answer !== 'ok') throw new Error(`Kafka mock: ${text}: ${answer}`);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const mock: KafkaMock = {
    brokers: ready.slice('ready '.length).split(','),
    pid: child.pid ?? -1,
    createTopic: (name, partitions) => command(`topic ${name} ${partitions}`),
    brokerDown: (id = 1) => command(`down ${id}`),
    brokerUp: (id = 1) => command(`up ${id}`),
    pushErrors: (apiKey, count, code) => command(`errors ${apiKey} ${count} ${code}`),
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end('quit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  for (const [name, partitions] of Object.entries(options.topics ?? {})) await mock.createTopic(name, partitions);
  return mock;
}
