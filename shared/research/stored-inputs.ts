import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configJson } from '../adapters/config-file.js';
import { ConfigError, InvalidInputError } from '../domain/errors.js';
import type { ObjectStore } from '../ports/index.js';
import { parseSpec, type ResearchSpec } from './spec.js';

/**
 * The files of a data folder that loadDataFolder reads (shared/adapters/data-folder.ts): the object
 * store has no listing, so a stored folder is fetched by these names. Sentiment lexicons and
 * licences are left out, as no backtest reads them.
 */
export const DATA_FILES = {
  required: ['prices/daily.csv', 'vix/daily.csv'],
  optional: ['symbols.csv', 'benchmark/spy_daily.csv', 'benchmark/sp500_index_close.csv'],
} as const;

/** The spec stored under a key, parsed; a missing object or a bad field fails naming it. */
export async function readStoredSpec(store: ObjectStore, key: string): Promise<ResearchSpec> {
  const text = await store.get(key);
  if (text === undefined) throw new InvalidInputError(`spec ${key}: no such object`);
  const spec = parseSpec(configJson(text, key), key);
  // A sweep's tasks are all the state machine fans out; walk-forward ranks inside its windows
  if (spec.walkForward !== undefined) {
    throw new ConfigError(
      `spec ${key}: walkForward is set, but the backtest state machine runs sweeps; run it with npm run walkforward`,
    );
  }
  return spec;
}

/** The key prefix of a stored data folder: the spec's `data`, a relative folder name. */
export function dataPrefix(spec: ResearchSpec): string {
  const prefix = spec.data.replace(/\/+$/, '');
  if (prefix.startsWith('/') || prefix.split('/').includes('..')) {
    throw new ConfigError(
      `spec data "${spec.data}": in the object store it names a key prefix, so it must be relative`,
    );
  }
  return `${prefix}/`;
}

/**
 * Copies the spec's stored data folder into a new folder under `parent` (the task's /tmp) and
 * returns the spec pointing at it, as loadSpecHistory and the worker threads read it.
 */
export async function withStoredData(
  store: ObjectStore,
  spec: ResearchSpec,
  parent = tmpdir(),
): Promise<ResearchSpec> {
  const prefix = dataPrefix(spec);
  const folder = await mkdtemp(join(parent, 'backtest-data-'));
  const copy = async (file: string, required: boolean) => {
    const text = await store.get(prefix + file);
    if (text === undefined) {
      if (!required) return;
      throw new InvalidInputError(
        `spec data "${spec.data}": ${prefix}${file} is missing from the object store (upload the data folder there)`,
      );
    }
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await writeFile(join(folder, file), text);
  };
  await Promise.all([
    ...DATA_FILES.required.map((file) => copy(file, true)),
    ...DATA_FILES.optional.map((file) => copy(file, false)),
  ]);
  return { ...spec, data: folder };
}
