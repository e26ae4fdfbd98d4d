// multipart/form-data parts: each text part's body under its field name, and each file name
// (`file#filename`), where traversal and injection hide. Binary parts are not read. The boundary
// comes from the first delimiter line, since the media type reaches us without its parameters.
import { firstMultipartDelimiter } from '@sidetap/core';
import type { PartBudget } from './partBudget';

const DISPOSITION_NAME = /^content-disposition:[^\r\n]*?;\s*name="([^"\r\n]*)"/im;
const DISPOSITION_FILENAME = /^content-disposition:[^\r\n]*?;\s*filename="([^"\r\n]*)"/im;
const PART_TYPE = /^content-type:\s*([^\s;]+)/im;
const BLANK_LINE = /\r?\n\r?\n/;

export function collectMultipartParts(content: string, budget: PartBudget): void {
  const text = '\n' + content;
  const delimiter = firstMultipartDelimiter(text);
  if (delimiter === undefined) return;
  let pos = text.indexOf(delimiter);
  while (pos >= 0) {
    const next = text.indexOf(delimiter, pos + delimiter.length);
    if (!collectPart(text.slice(pos + delimiter.length, next < 0 ? text.length : next), budget)) return;
    pos = next;
  }
}

function collectPart(part: string, budget: PartBudget): boolean {
  const blank = BLANK_LINE.exec(part);
  if (blank === null) return true;
  const head = part.slice(0, blank.index);
  const name = DISPOSITION_NAME.exec(head)?.[1] ?? '';
  const filename = DISPOSITION_FILENAME.exec(head)?.[1];
  if (filename !== undefined && !budget.add('multipart', `${name}#filename`, filename, 'plain')) return false;
  const type = PART_TYPE.exec(head)?.[1]?.toLowerCase();
  if (type !== undefined && !isTextType(type)) return true;
  let body = part.slice(blank.index + blank[0].length);
  if (body.endsWith('\r')) body = body.slice(0, -1);
  return budget.add('multipart', name, body, 'plain');
}

function isTextType(type: string): boolean {
  return type.startsWith('text/') || type.includes('json') || type.includes('xml') || type === 'application/x-www-form-urlencoded' || type === 'application/javascript';
}

