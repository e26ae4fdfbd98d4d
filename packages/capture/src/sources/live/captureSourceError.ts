// A live source that cannot start: bad start-up configuration (a flag, a permission, a port in
// use, a missing library), reported as one sentence that names the flag. Never thrown for traffic.

export class CaptureSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureSourceError';
  }
}
