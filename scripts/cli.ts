import { TradingError } from '../shared/domain/errors.js';

/** A folder-safe timestamp for a run's default output folder. */
export const outputTimestamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

/**
 * Runs a CLI's main: an error the bot names (a TradingError) is one line, a bad argument one line
 * and the usage, anything else its stack; exit code 1. `errorNames` puts the error's class first,
 * as Lambda reports it (for the tool that invokes handlers).
 */
export function runCli(
  name: string,
  usage: string,
  main: () => Promise<void>,
  { errorNames = false } = {},
): void {
  main().catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (error instanceof TradingError) {
      const kind = errorNames && error.constructor !== TradingError ? `${error.name}: ` : '';
      console.error(`${name}: ${kind}${error.message}`);
    } else if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${name}: ${(error as Error).message}\n${usage}`);
    } else console.error(error);
    process.exitCode = 1;
  });
}
