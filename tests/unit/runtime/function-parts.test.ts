import { describe, expect, it } from 'vitest';
import {
  ALARM_FUNCTIONS,
  BACKTEST_FUNCTIONS,
  FUNCTION_PARTS,
  WORKFLOW_FUNCTIONS,
} from '../../../infra/constructs/workflow-functions.js';

describe("the infrastructure's copy of each handler's parts", () => {
  it.each([...WORKFLOW_FUNCTIONS, ...ALARM_FUNCTIONS, ...BACKTEST_FUNCTIONS])(
    '%s: its role is granted what its handler names',
    async (name) => {
      // Act
      const { handler } = (await import(`../../../functions/${name}/handler.ts`)) as {
        handler: { uses: object };
      };
      // Assess
      expect(Object.keys(handler.uses).sort()).toEqual([...FUNCTION_PARTS[name]].sort());
    },
  );
});
