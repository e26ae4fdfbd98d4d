// Header-name lists as the order signature uses them: exact lower-case names, or `prefix*`.

export interface HeaderNameMatcher {
  matches(lowerName: string): boolean;
}

export function createHeaderNameMatcher(patterns: readonly string[]): HeaderNameMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return {
    matches(lowerName) {
      if (exact.has(lowerName)) return true;
      for (const prefix of prefixes) if (lowerName.startsWith(prefix)) return true;
      return false;
    },
  };
}
