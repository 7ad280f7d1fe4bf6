import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test's temporary files (state folders, data copies, CDK's cloud assemblies) go under one
 * folder for the run, removed when it ends: the suite left ~100 MB in the system's temp folder
 * each time, ~1,600 folders over a day of runs. Workers and the processes tests start inherit it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'trading-bot-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(root, { recursive: true, force: true });
  };
}
