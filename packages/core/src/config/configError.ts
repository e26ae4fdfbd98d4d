// A bad configuration, found at start-up: one sentence naming the file or environment variable,
// the dotted option and what was expected, so the command line can print it and exit 2.
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    /** The config file or environment variable at fault, as the user named it. */
    readonly source: string,
    /** The dotted option (`capture.maxFlows`); empty when the fault is the whole file. */
    readonly option: string = '',
  ) {
    super(message);
  }
}
