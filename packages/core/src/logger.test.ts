import { createLogger, loggingConfigSchema, REDACTED, stageLogger } from './logger';
import { formatLogLine } from './prettyLogStream';

const capture = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(s) } };
};
const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createLogger', () => {
  it('writes JSON lines at or above the level, with the stage on a stage logger', () => {
    const { lines, destination } = capture();
    const root = createLogger({ level: 'warn', destination });
    root.info('hidden');
    stageLogger(root, 'capture').warn({ flows: 3 }, 'flow table full');
    const [r] = records(lines);
    expect(lines).toHaveLength(1);
    expect(r).toMatchObject({ level: 40, stage: 'capture', flows: 3, msg: 'flow table full' });
  });

  it('censors secret-looking fields and secret headers', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', destination }).info(
      {
        authorization: 'Bearer a',
        user: { password: 'p', name: 'bob' },
        req: { token: 't', headers: { cookie: 'c', 'set-cookie': 's', 'x-api-key': 'k', accept: '*/*' } },
        http: { request: { headers: { authorization: 'Basic x', 'user-agent': 'curl' } } },
      },
      'request',
    );
    const text = lines.join('');
    for (const secret of ['Bearer a', '"p"', '"t"', '"c"', '"s"', '"k"', 'Basic x']) expect(text).not.toContain(secret);
    const [r] = records(lines);
    expect(r).toMatchObject({
      authorization: REDACTED,
      user: { password: REDACTED, name: 'bob' },
      req: { token: REDACTED, headers: { cookie: REDACTED, 'set-cookie': REDACTED, 'x-api-key': REDACTED, accept: '*/*' } },
      http: { request: { headers: { authorization: REDACTED, 'user-agent': 'curl' } } },
    });
  });

  it('writes nothing when silent', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'silent', destination }).fatal('x');
    expect(lines).toEqual([]);
  });

  it('renders readable lines when pretty', () => {
    const { lines, destination } = capture();
    stageLogger(createLogger({ level: 'info', pretty: true, destination }), 'anomaly').info({ rule: 'sqli', note: 'two words' }, 'finding');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[anomaly\] finding rule=sqli note="two words"\n$/);
  });
});

describe('formatLogLine', () => {
  it('indents an error stack under its line and passes non-JSON through', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'boom', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f' } });
    expect(formatLogLine(line)).toBe('00:00:00.000 ERROR boom\n  Error: x\n      at f\n');
    expect(formatLogLine('not json')).toBe('not json\n');
  });
});

describe('loggingConfigSchema', () => {
  it('defaults to info and accepts only pino levels', () => {
    expect(loggingConfigSchema.parse({})).toEqual({ level: 'info' });
    expect(loggingConfigSchema.safeParse({ level: 'verbose' }).success).toBe(false);
    expect(loggingConfigSchema.safeParse({ level: 'info', pretty: true }).success).toBe(false);
  });
});
