// Bad usage or a bad input file: exit status 2 with one sentence on stderr (DESIGN.md §4).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
