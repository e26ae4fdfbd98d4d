// Documents Elasticsearch rejected for good (a mapping conflict, a document too large), kept with
// the reason so an operator can fix the cause and re-send them; never silently dropped.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface DeadLetter {
  index: string;
  id: string;
  status: number;
  /** Elasticsearch's error type and reason, as its bulk response gave them. */
  error: { type: string; reason: string };
  document: unknown;
}

export class DeadLetterFile {
  private ready: Promise<unknown> | undefined;

  constructor(readonly path: string) {}

  async append(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    await this.ready;
    const at = new Date().toISOString();
    let text = '';
    for (const l of letters) text += JSON.stringify({ '@timestamp': at, ...l }) + '\n';
    await appendFile(this.path, text);
  }
}
