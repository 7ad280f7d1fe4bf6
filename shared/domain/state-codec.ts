import * as z from 'zod';
import { InvalidInputError } from './errors.js';

// The one codec of the saved market state (indicator banks, the ml-momentum model, MarketState):
// a zod schema reads the JSON and builds the object, toJSON writes it. Float arrays are filled
// from the JSON into the arrays of the rebuilt object, whose lengths say what the JSON must hold

/** A number in a saved state: JSON has no NaN or Infinity, so non-finite values become null. */
export type JsonNumber = number | null;

/** A number of series or bars. */
export const CountSchema = z.number().int().min(0);
/** A period or lookback. */
export const PeriodSchema = z.number().int().min(1);
/** A float array as JSON numbers, null for NaN. */
export const JsonNumbersSchema = z.array(z.number().nullable());
/** A float array as base64 of its float64 bytes, for arrays too long to format as numbers. */
export const Base64FloatsSchema = z.string();

/** Encodes a typed array for JSON, non-finite values as null. */
export function toJsonNumbers(values: Float64Array): JsonNumber[] {
  const out = new Array<JsonNumber>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    out[i] = Number.isFinite(value) ? value : null;
  }
  return out;
}

/** Encodes named typed arrays for JSON, in the order given. */
export function jsonNumbers<K extends string>(
  arrays: Record<K, Float64Array>,
): Record<K, JsonNumber[]> {
  const out = {} as Record<K, JsonNumber[]>;
  for (const key in arrays) out[key] = toJsonNumbers(arrays[key]);
  return out;
}

// Little-endian, as every platform Node and Lambda run on; exact for every value, NaN included

/** Encodes a typed array as base64 of its bytes. */
export function toBase64Floats(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/**
 * Fills each typed array from the field of the same name (JSON numbers or base64 floats), adding
 * an issue at the field when it does not hold exactly as many values.
 */
export function fillFloats<K extends string>(
  ctx: z.RefinementCtx,
  state: Record<K, readonly JsonNumber[] | string>,
  into: Record<K, Float64Array>,
  path: readonly PropertyKey[] = [],
): void {
  for (const key in into) {
    const target = into[key];
    const value = state[key];
    if (typeof value === 'string') {
      const bytes = Buffer.from(value, 'base64');
      if (bytes.byteLength === target.byteLength) {
        new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(bytes);
        continue;
      }
      const message = `expected base64 of ${target.byteLength} bytes (${target.length} float64), got ${bytes.byteLength} bytes`;
      ctx.issues.push({ code: 'custom', message, input: value, path: [...path, key] });
    } else if (value.length === target.length) {
      for (let i = 0; i < value.length; i++) target[i] = value[i] ?? Number.NaN;
    } else {
      const message = `expected ${target.length} numbers or nulls, got ${value.length}`;
      ctx.issues.push({ code: 'custom', message, input: value, path: [...path, key] });
    }
  }
}

/**
 * The schema of a bank's JSON: the shape is checked, `build` makes an empty bank from it (with its
 * counters and nested banks set, `misfit` noting a field that does not fit the rest) and names its
 * float arrays, which are then filled from the fields of those names.
 */
export function bankSchema<Shape extends z.ZodRawShape, Bank>(
  shape: Shape,
  build: (
    state: z.output<z.ZodObject<Shape>>,
    misfit: (field: string, message: string) => void,
  ) => [Bank, Record<string, Float64Array>],
): z.ZodType<Bank, z.input<z.ZodObject<Shape>>> {
  return z.object(shape).transform((state, ctx) => {
    const [bank, floats] = build(state, (field, message) => {
      ctx.issues.push({ code: 'custom', message, input: state, path: [field] });
    });
    fillFloats(ctx, state as Record<string, JsonNumber[]>, floats);
    return bank;
  });
}

/** Reads a saved state with its schema; a misfit throws InvalidInputError naming each field path. */
export function decodeState<T>(schema: z.ZodType<T>, state: unknown, what: string): T {
  const parsed = schema.safeParse(state);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(the state)'}: ${issue.message}`,
  );
  throw new InvalidInputError(`${what} state: ${issues.join('; ')}`);
}
