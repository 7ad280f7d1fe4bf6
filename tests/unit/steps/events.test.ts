import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStateSchema } from '../../../shared/steps/types.js';

// The sample payloads are what a handler receives: they must stay valid as the schema evolves
const folders = await readdir('events');
const files = (
  await Promise.all(
    folders.map(async (f) =>
      (await readdir(join('events', f))).map((name) => join('events', f, name)),
    ),
  )
).flat();

describe('events/*.json', () => {
  it.each(files)('%s is a valid RunState', async (file) => {
    const parsed = RunStateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('rejects a payload without a real trading date', () => {
    expect(RunStateSchema.safeParse({ tradingDate: '2023-02-30' }).success).toBe(false);
    expect(RunStateSchema.safeParse({}).success).toBe(false);
  });
});
