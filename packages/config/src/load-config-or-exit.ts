import { ConfigError } from './parse-env.js';

export interface ExitOnBadConfig {
  exit?: (code: number) => never;
  write?: (line: string) => void;
}

/**
 * Start-up of a service: `load()` its configuration, or — when the environment is invalid — say
 * which keys on stderr as `<service>: <message>` (no stack trace: it is the operator's to fix) and
 * exit 1. Any other error is a bug and propagates.
 */
export function loadConfigOrExit<T>(
  service: string,
  load: () => T,
  { exit = process.exit, write = (line) => process.stderr.write(line) }: ExitOnBadConfig = {},
): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    write(`${service}: ${error.message}\n`);
    return exit(1);
  }
}
