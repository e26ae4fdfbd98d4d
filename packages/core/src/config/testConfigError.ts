// Test helper: the ConfigError a call throws, failing the test if it throws nothing or something else.
import { ConfigError } from './configError';

export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
