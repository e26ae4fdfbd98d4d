// The embedded model store: one JSON file per document under `<store>/models/`, replaced by rename.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelStore } from '@sidetap/core';
import { checkDocumentName } from './documentName';

export class DirectoryModelStore implements ModelStore {
  readonly kind = 'directory' as const;

  constructor(private readonly storeDir: string) {}

  where(name: string): string {
    return join(this.storeDir, 'models', `${checkDocumentName(name)}.json`);
  }

  async get(name: string): Promise<string | undefined> {
    const file = this.where(name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  async put(name: string, text: string): Promise<void> {
    const file = this.where(name);
    mkdirSync(join(this.storeDir, 'models'), { recursive: true });
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }

  async close(): Promise<void> {}
}
