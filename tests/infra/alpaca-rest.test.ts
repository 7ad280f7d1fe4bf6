import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALPACA_REST,
  ALPACA_REST_SHAKABLE,
  shakableAlpacaRest,
  writeShakableAlpacaRest,
} from '../../infra/constructs/alpaca-rest.js';

// The shape tsup gives the SDK's dist/rest.mjs, cut down to two namespaces
const TSUP = `var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var trading_exports = {};
__export(trading_exports, {
  OrdersApi: () => OrdersApi,
});
var errors_exports = {};
__export(errors_exports, {
  ApiError: () => ApiError,
});
class OrdersApi {}
class ApiError extends Error {}
export { ApiError, errors_exports as errors, trading_exports as trading };
`;

const load = (source: string) =>
  import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

describe("the Alpaca SDK's shakable copy", () => {
  it('builds each namespace with a pure call, and they read as before', async () => {
    // Act
    const shakable = shakableAlpacaRest(TSUP, 'rest.mjs');
    // Assess
    expect(shakable).toContain('var trading_exports = /* @__PURE__ */ __exportsOf({');
    expect(shakable).toContain('var errors_exports = /* @__PURE__ */ __exportsOf({');
    const [before, after] = await Promise.all([load(TSUP), load(shakable)]);
    expect(Object.keys(after.trading)).toEqual(['OrdersApi']);
    expect(after.trading.OrdersApi.name).toBe(before.trading.OrdersApi.name);
    expect(new after.errors.ApiError()).toBeInstanceOf(after.ApiError);
  });

  it('refuses a build whose namespaces are filled some other way, naming the file', () => {
    // Prepare: a later SDK that fills one namespace differently
    const changed = TSUP.replace('var errors_exports = {};\n', 'var errors_exports = {}; // x\n');
    // Act, Assess
    expect(() => shakableAlpacaRest(changed, 'node_modules/x/rest.mjs')).toThrow(
      /^node_modules\/x\/rest\.mjs: expected tsup's .* for each of its 2 namespaces, rewrote 1/,
    );
  });
});

describe('writing the shakable copy', () => {
  it('puts it beside the installed SDK, whole, and leaves nothing else behind', () => {
    // Prepare: a project whose node_modules holds the SDK's file
    const root = mkdtempSync(join(tmpdir(), 'alpaca-rest-'));
    const original = join(root, ALPACA_REST);
    mkdirSync(dirname(original), { recursive: true });
    writeFileSync(original, TSUP);
    try {
      // Act: twice, as every function's bundling does
      const first = writeShakableAlpacaRest(root);
      const second = writeShakableAlpacaRest(root);
      // Assess
      expect(first).toBe(join(root, ALPACA_REST_SHAKABLE));
      expect(second).toBe(first);
      expect(readFileSync(first, 'utf8')).toBe(shakableAlpacaRest(TSUP));
      expect(readdirSync(dirname(original)).sort()).toEqual(['rest.mjs', 'rest.shakable.mjs']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
