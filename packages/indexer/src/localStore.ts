// The embedded mode's store: NDJSON files in the store directory, one per record kind, appended
// a batch at a time. The write finishes before the runner commits the batch, so a crash can
// repeat records (ids tell them apart) but never lose them.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCAL_STORE_FILES = { event: 'events.ndjson', alert: 'findings.ndjson', session: 'sessions.ndjson' } as const;

export class LocalStore {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {}

  async append(kind: keyof typeof LOCAL_STORE_FILES, records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    let text = '';
    for (const r of records) text += JSON.stringify(r) + '\n';
    await appendFile(join(this.dir, LOCAL_STORE_FILES[kind]), text);
  }
}
