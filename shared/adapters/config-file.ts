import { readFile } from 'node:fs/promises';
import { ConfigError } from '../domain/errors.js';

/** The raw JSON of a config file (validated by parseConfig); {} when no file is given. */
export async function readConfigFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read config ${path}: ${error.code ?? error.message}`);
  });
  return configJson(text, path);
}

/** A config's JSON text parsed, or a ConfigError naming where it came from. */
export function configJson(text: string, source: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}
