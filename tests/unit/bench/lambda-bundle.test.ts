import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuild } from '../../../scripts/bench/daily-run.js';
import { resvgAssetCopies } from '../../../shared/reports/charts/png.js';

describe('the Lambda bundle options', () => {
  it("replace the SDK's default credential chain with the environment's credentials", async () => {
    // Act
    const { metafile } = await build({
      ...lambdaBuild(process.cwd()),
      entryPoints: ['functions/check-calendar/handler.ts'],
      write: false,
      outfile: 'out/test/check-calendar.mjs',
    });
    // Assess
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('shared/runtime/lambda-credentials.ts');
    expect(inputs.filter((i) => /credential-provider-node|nested-clients/.test(i))).toEqual([]);
  });

  it("leave zod's locales out of the largest bundle: every module imports zod as a namespace", async () => {
    // Act: `import { z } from 'zod'` anywhere reaches z.locales, 258 KB of error messages
    const { metafile } = await build({
      ...lambdaBuild(process.cwd()),
      entryPoints: ['functions/fetch-data/handler.ts'],
      write: false,
      outfile: 'out/test/fetch-data.mjs',
    });
    // Assess: English only, the default
    const kept = Object.values(metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
        .map(([input]) => input),
    );
    // locales/index.js stays as an empty init function (17 bytes) where a module zod is reached
    // through is imported dynamically (the Alpaca parts): esbuild wraps that graph to load lazily
    const locales = kept.filter(
      (input) => input.includes('zod/v4/locales/') && !input.endsWith('locales/index.js'),
    );
    expect(locales).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('bundle the report function whole, resvg as WebAssembly loaded from beside the bundle', async () => {
    // Act
    const { metafile } = await build({
      ...lambdaBuild(process.cwd()),
      entryPoints: ['functions/report/handler.ts'],
      write: false,
      outfile: 'out/test/report.mjs',
    });
    // Assess: no native binding, nothing left for an install step
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('shared/reports/charts/equity.ts');
    expect(inputs.filter((i) => i.includes('@resvg'))).toEqual([
      'node_modules/@resvg/resvg-wasm/index.mjs',
    ]);
    const externals = Object.values(metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external).map((i) => i.path),
    );
    expect(externals.filter((path) => !path.startsWith('node:'))).toEqual([]);
  });

  it('render a chart from a bundle outside the repository, with only its asset copies beside it', async () => {
    // Prepare: as a Lambda asset has it, no node_modules anywhere above the bundle
    const dir = await mkdtemp(join(tmpdir(), 'report-asset-'));
    const entry = join(dir, 'index.mjs');
    await build({
      ...lambdaBuild(process.cwd()),
      stdin: {
        contents: [
          "import { chartPng } from './shared/reports/charts/png.ts';",
          'const svg = \'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text x="2" y="15">$1</text></svg>\';',
          'const png = await chartPng(svg);',
          'process.stdout.write(String(png.length));',
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      outfile: entry,
    });
    for (const [from, to] of resvgAssetCopies(dir)) {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    }
    // Act
    const child = spawnSync(process.execPath, [entry], { cwd: dir, encoding: 'utf8' });
    // Assess
    expect(child.stderr).toBe('');
    expect(Number(child.stdout)).toBeGreaterThan(500);
    await rm(dir, { recursive: true, force: true });
  });
});
