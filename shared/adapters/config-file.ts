import { readFile } from 'node:fs/promises';
import { ConfigError } from '../domain/errors.js';

/** The raw JSON of a config file (validated by parseConfig); {} when no file is given. */
export async function readConfigFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read config ${path}: ${error.code ?? error.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
