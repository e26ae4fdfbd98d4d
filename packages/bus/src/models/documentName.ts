/** Document names become file names and Redis keys: plain words only. */
export function checkDocumentName(name: string): string {
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) throw new Error(`model store: "${name}" is not a document name (lower-case letters, digits, _ and -)`);
  return name;
}
