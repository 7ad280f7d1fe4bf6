import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuild } from '../../../scripts/bench/daily-run.js';

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

  it("bundle the report function, the email chart's native renderer left to be installed", async () => {
    // Act
    const { metafile } = await build({
      ...lambdaBuild(process.cwd()),
      entryPoints: ['functions/report/handler.ts'],
      write: false,
      outfile: 'out/test/report.mjs',
    });
    // Assess
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('shared/reports/charts/equity.ts');
    expect(inputs.filter((i) => i.includes('@resvg'))).toEqual([]);
  });
});
