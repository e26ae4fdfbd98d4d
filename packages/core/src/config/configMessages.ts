// Phrasing shared by config errors: dotted option names, quoted values, and the list of known
// options offered when a name is misspelt.
export const dottedPath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

const MAX_VALUE_CHARS = 60;

/** A value as the user wrote it, short enough for one line; `undefined` reads as "nothing". */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

const SHORT_LIST = 8;
const CLOSE_NAMES = 3;

/** `known: a, b, c` when there are few options, else the few closest to what was typed. */
export function knownOptions(known: readonly string[], typed: string): string {
  if (known.length === 0) return 'no options are known here';
  if (known.length <= SHORT_LIST) return `known: ${known.join(', ')}`;
  const t = typed.toLowerCase();
  const closest = [...known]
    .map((name) => ({ name, d: editDistance(name.toLowerCase(), t) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, CLOSE_NAMES)
    .map((c) => c.name);
  return `closest known: ${closest.join(', ')}; ${known.length} in all`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(sub, (prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
