import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateMarket, toDataFolderFiles } from '../../support/market-generator.js';

/** A data folder of the shipped layout holding a small generated market, in a new temp folder. */
export async function generatedDataFolder(
  options = { symbols: 6, days: 600, seed: 11, start: '2019-01-02' },
): Promise<{ work: string; data: string }> {
  const work = await mkdtemp(join(tmpdir(), 'research-'));
  const data = join(work, 'data');
  for (const [name, content] of Object.entries(toDataFolderFiles(generateMarket(options)))) {
    await mkdir(dirname(join(data, name)), { recursive: true });
    await writeFile(join(data, name), content);
  }
  return { work, data };
}
