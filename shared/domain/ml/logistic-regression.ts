import * as z from 'zod';
import { InvalidInputError } from '../errors.js';
import { dot } from '../numeric/dot.js';

// Binary logistic regression with an unpenalised intercept and a ridge penalty, fitted by
// Newton–Raphson. Sized for the backtest's thousands of small fits (n ≈ 250, p ≈ 6): one pass
// standardises the features, then each iteration costs one Hessian and a (p+1)×(p+1) Cholesky.
// Every sum runs in a fixed order, so on one runtime the same input gives bit-identical weights

/** A model: weights[j] multiplies (x[j] - mean[j]) / scale[j], and weights[p] is the intercept. */
export interface LogisticModel {
  /** Length p + 1, on standardised features; the intercept is the last element */
  readonly weights: Float64Array;
  /** Per-feature mean of the training rows */
  readonly mean: Float64Array;
  /** Per-feature population standard deviation of the training rows, 1 for a constant feature */
  readonly scale: Float64Array;
  /** Newton steps (Hessians) computed; 0 when the labels were all equal */
  readonly iterations: number;
  /** False when maxIterations ran out (or the line search stalled) before the tolerance was met */
  readonly converged: boolean;
}

/** Tuning of fitLogistic; every field has a default. */
export interface LogisticOptions {
  /** Minimises mean log-loss + (l2 / 2)·Σ w_j² over standardised weights, intercept excluded */
  readonly l2?: number;
  /** Cap on Newton steps */
  readonly maxIterations?: number;
  /** Converged once the next step moves no standardised weight more than this; it is still taken */
  readonly tolerance?: number;
  /** Warm start in the layout of `weights` (length p + 1), e.g. the previous window's weights */
  readonly initial?: ArrayLike<number>;
}

/** Ridge strength when the options leave it out: a light touch that keeps separable data finite. */
export const DEFAULT_L2 = 1e-3;
/** Newton steps allowed when the options leave it out; a typical fit takes 2 to 4. */
export const DEFAULT_MAX_ITERATIONS = 25;
/** Step tolerance by default; the weights then land within ~1e-6 of the optimum, typically 1e-9. */
export const DEFAULT_TOLERANCE = 1e-4;

// Below this Newton decrement the step is deep in the quadratic region and the loss difference is
// rounding noise, so the step is taken without the line-search check
const QUADRATIC_REGION_DECREMENT = 1e-12;
const ARMIJO_FRACTION = 1e-4;
const MAX_HALVINGS = 30;
// A product of up to 256 factors in (1, 2] stays far below the double range, so the loss takes
// one Math.log per 256 rows; a Math.log1p per row costs the backtest about 28 ms of a 0.55 s run
const LOG_PRODUCT_MASK = 255;

/** Fits P(y = 1 | x) to row-major n×p features and 0/1 labels; throws on NaN, bad labels, n ≤ p. */
export function fitLogistic(
  x: Float64Array,
  y: Uint8Array | Float64Array,
  n: number,
  p: number,
  options: LogisticOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? DEFAULT_L2;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  checkShape(x, y, n, p);
  if (!(l2 >= 0 && Number.isFinite(l2))) {
    throw new RangeError(`l2 must be a finite number ≥ 0, got ${l2}`);
  }
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError(`maxIterations must be an integer ≥ 1, got ${maxIterations}`);
  }
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerance}`);
  const q = p + 1;
  const initial = options.initial;
  if (initial !== undefined && initial.length !== q) {
    throw new RangeError(`initial has ${initial.length} weights; expected p + 1 = ${q}`);
  }

  const w = workspaceFor(n, p);
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  standardise(x, n, p, mean, scale, w.z);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new InvalidInputError(`y[${i}] is ${v}; labels must be 0 or 1`);
    w.label[i] = v;
    positives += v;
  }

  const weights = new Float64Array(q);
  if (positives === 0 || positives === n) {
    // The maximum-likelihood intercept is ±∞ here and the ridge leaves the intercept alone, so
    // the base rate is smoothed by half an observation each way (the Jeffreys prior's estimate)
    weights[p] = Math.log((positives + 0.5) / (n - positives + 0.5));
    return { weights, mean, scale, iterations: 0, converged: true };
  }
  const { z, label, direction, hessian, gradient, step } = w;
  let { eta, residual, curvature, etaTrial, residualTrial, curvatureTrial } = w;
  let loss: number;
  let warmStarted = initial !== undefined;
  if (initial !== undefined) {
    for (let j = 0; j < q; j++) {
      const v = initial[j]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(`initial[${j}] is ${v}; weights must be finite`);
      }
      weights[j] = v;
    }
    linearPredictor(z, weights, n, p, eta);
    loss = meanLoss(eta, eta, 0, eta, label, residual, curvature, n) + penalty(weights, 0, p, l2);
  } else {
    loss = startFromBaseRate(positives, n, p, label, weights, eta, residual, curvature);
  }

  let iterations = 0;
  let converged = false;
  let factored = false;
  for (;;) {
    computeGradient(z, residual, weights, n, p, l2, gradient);
    if (factored) {
      // The last factorisation turns the gradient into the next step for a few dozen flops, so a
      // fit that has converged stops without paying for another Hessian; the small step is taken
      // since it costs nothing and squares the remaining error again
      negatedSolve(hessian, q, gradient, step);
      if (largestMagnitude(step, q) <= tolerance) {
        for (let j = 0; j < q; j++) weights[j] = weights[j]! + step[j]!;
        converged = true;
        break;
      }
    }
    if (iterations === maxIterations) break;
    iterations++;

    computeHessian(z, curvature, n, p, l2, w.weighted, hessian);
    if (!choleskyInPlace(hessian, q)) {
      if (warmStarted) {
        // A warm start so far off that every row saturates has no curvature left for the
        // unpenalised intercept; the base rate is always a sound place to begin again
        warmStarted = false;
        factored = false;
        loss = startFromBaseRate(positives, n, p, label, weights, eta, residual, curvature);
        continue;
      }
      throw new InvalidInputError(
        'the Hessian is not positive definite (constant or collinear features, or separable ' +
          'data without a ridge); use l2 > 0',
      );
    }
    factored = true;
    negatedSolve(hessian, q, gradient, step);
    let decrement = 0;
    for (let j = 0; j < q; j++) decrement -= gradient[j]! * step[j]!;
    linearPredictor(z, step, n, p, direction);

    // Backtracking keeps every step a descent step, which plain Newton is not far from the optimum
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving <= MAX_HALVINGS; halving++, t *= 0.5) {
      const trial =
        meanLoss(eta, direction, t, etaTrial, label, residualTrial, curvatureTrial, n) +
        penalty(weights, t, p, l2, step);
      if (
        decrement <= QUADRATIC_REGION_DECREMENT ||
        trial <= loss - ARMIJO_FRACTION * t * decrement
      ) {
        loss = trial;
        accepted = true;
        break;
      }
    }
    // No descent left within rounding: the weights are as good as this arithmetic gets
    if (!accepted) break;

    for (let j = 0; j < q; j++) weights[j] = weights[j]! + t * step[j]!;
    // Swap rather than copy: the trial buffers now hold the state at the new weights
    const etaBefore = eta;
    eta = etaTrial;
    etaTrial = etaBefore;
    const residualBefore = residual;
    residual = residualTrial;
    residualTrial = residualBefore;
    const curvatureBefore = curvature;
    curvature = curvatureTrial;
    curvatureTrial = curvatureBefore;
  }
  return { weights, mean, scale, iterations, converged };
}

/** P(y = 1) for one row of raw (unstandardised) features; throws on a wrong length or a NaN. */
export function predictProbability(model: LogisticModel, features: ArrayLike<number>): number {
  const p = model.mean.length;
  if (features.length !== p) {
    throw new RangeError(`expected ${p} features, got ${features.length}`);
  }
  for (let j = 0; j < p; j++) {
    const v = features[j]!;
    if (!Number.isFinite(v)) throw new InvalidInputError(`feature ${j} is ${v}`);
  }
  return probabilityAt(model, features, 0);
}

/**
 * P(y = 1) for the p raw features at values[offset], values[offset + 1], …; NaN when one of them
 * is not finite. For callers that keep many rows in one array and treat a gap as "no prediction".
 */
export function probabilityAt(
  model: LogisticModel,
  values: ArrayLike<number>,
  offset: number,
): number {
  const { weights, mean, scale } = model;
  const p = mean.length;
  let eta = weights[p]!;
  for (let j = 0; j < p; j++) eta += (weights[j]! * (values[offset + j]! - mean[j]!)) / scale[j]!;
  // A NaN or an infinite feature leaves eta NaN or infinite; finite features cannot overflow it
  return Number.isFinite(eta) ? sigmoid(eta) : Number.NaN;
}

/** Logistic function 1 / (1 + e^-η), without overflow for any η. */
export function sigmoid(eta: number): number {
  // exp only ever sees a non-positive argument, so it cannot overflow
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** The stored form of a LogisticModel: plain arrays, as JSON keeps them. */
export const LogisticModelJsonSchema = z
  .strictObject({
    weights: z.array(z.number()).min(1),
    mean: z.array(z.number()),
    scale: z.array(z.number().positive()),
    iterations: z.number().int().nonnegative(),
    converged: z.boolean(),
  })
  .refine((m) => m.mean.length === m.scale.length && m.weights.length === m.mean.length + 1, {
    message: 'weights must have one more element than mean and scale',
    path: ['weights'],
  });
/** A LogisticModel as plain arrays. */
export type LogisticModelJson = z.infer<typeof LogisticModelJsonSchema>;

/** Plain-array form for storage between daily runs; JSON numbers round-trip doubles exactly. */
export function modelToJSON(model: LogisticModel): LogisticModelJson {
  return {
    weights: Array.from(model.weights),
    mean: Array.from(model.mean),
    scale: Array.from(model.scale),
    iterations: model.iterations,
    converged: model.converged,
  };
}

/** Rebuilds a model from its stored form; throws InvalidInputError when the shape is wrong. */
export function modelFromJSON(json: unknown): LogisticModel {
  const parsed = LogisticModelJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`not a logistic model: ${z.prettifyError(parsed.error)}`);
  }
  const m = parsed.data;
  return {
    weights: Float64Array.from(m.weights),
    mean: Float64Array.from(m.mean),
    scale: Float64Array.from(m.scale),
    iterations: m.iterations,
    converged: m.converged,
  };
}

function checkShape(x: Float64Array, y: ArrayLike<number>, n: number, p: number): void {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(p) && p >= 0)) {
    throw new RangeError(`n and p must be non-negative integers, got n=${n}, p=${p}`);
  }
  if (n < p + 1) {
    throw new RangeError(
      `${n} rows cannot fit ${p} features plus an intercept: need at least ${p + 1}`,
    );
  }
  if (x.length !== n * p) throw new RangeError(`x has ${x.length} values; expected n×p = ${n * p}`);
  if (y.length !== n) throw new RangeError(`y has ${y.length} labels; expected n = ${n}`);
}

// Sets the weights to the base-rate model (no feature effect), which saves most of the intercept's
// first step, and the state to match; returns the loss. Every row has the same prediction there,
// so the state needs no exponentials
function startFromBaseRate(
  positives: number,
  n: number,
  p: number,
  label: Float64Array,
  weights: Float64Array,
  eta: Float64Array,
  residual: Float64Array,
  curvature: Float64Array,
): number {
  const rate = positives / n;
  weights.fill(0);
  weights[p] = Math.log(positives / (n - positives));
  eta.fill(weights[p]!, 0, n);
  for (let i = 0; i < n; i++) residual[i] = rate - label[i]!;
  curvature.fill(rate * (1 - rate), 0, n);
  return -(rate * Math.log(rate) + (1 - rate) * Math.log1p(-rate));
}

// Scratch memory of one fit, kept and reused while n and p stay the same: allocating the arrays
// for each fit costs the backtest's 3,888 fits about 35 ms of a 0.55 s engine run. Safe because a
// fit runs synchronously and writes every element before reading it
interface Workspace {
  readonly n: number;
  readonly p: number;
  readonly z: Float64Array;
  readonly label: Float64Array;
  readonly eta: Float64Array;
  readonly residual: Float64Array;
  readonly curvature: Float64Array;
  readonly etaTrial: Float64Array;
  readonly residualTrial: Float64Array;
  readonly curvatureTrial: Float64Array;
  readonly direction: Float64Array;
  readonly weighted: Float64Array;
  readonly hessian: Float64Array;
  readonly gradient: Float64Array;
  readonly step: Float64Array;
}

let cachedWorkspace: Workspace | undefined;

function workspaceFor(n: number, p: number): Workspace {
  if (cachedWorkspace?.n === n && cachedWorkspace.p === p) return cachedWorkspace;
  const q = p + 1;
  const memory = new Float64Array(n * p + 11 * n + q * q + 2 * q);
  let offset = 0;
  const take = (length: number): Float64Array => {
    const view = memory.subarray(offset, offset + length);
    offset += length;
    return view;
  };
  cachedWorkspace = {
    n,
    p,
    z: take(n * p),
    label: take(n),
    eta: take(n),
    residual: take(n),
    curvature: take(n),
    etaTrial: take(n),
    residualTrial: take(n),
    curvatureTrial: take(n),
    direction: take(n),
    weighted: take(2 * n),
    hessian: take(q * q),
    gradient: take(q),
    step: take(q),
  };
  return cachedWorkspace;
}

// Writes the standardised features column-major into z (feature j at [j*n, (j+1)*n)), so the
// Hessian's inner loops walk contiguous memory
function standardise(
  x: Float64Array,
  n: number,
  p: number,
  mean: Float64Array,
  scale: Float64Array,
  z: Float64Array,
): void {
  for (let j = 0; j < p; j++) {
    const offset = j * n;
    // One pass for both moments, shifted by the column's first value: by Samuelson's inequality
    // no value lies more than √n standard deviations from the mean, so the subtraction below
    // cancels at most log10(n) digits, and a constant column gives exactly 0
    const first = x[j]!;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * p + j]!;
      z[offset + i] = v;
      const d = v - first;
      sum += d;
      squares += d * d;
    }
    // NaN and ±∞ reach the sums, so rows are searched only when something is wrong
    if (!Number.isFinite(squares)) throwNonFinite(x, n, p, j);
    const shift = sum / n;
    const variance = squares / n - shift * shift;
    if (!(variance > 0)) {
      // Centre on the value itself, so the column is exactly zero and its weight stays 0
      mean[j] = first;
      scale[j] = 1;
      z.fill(0, offset, offset + n);
      continue;
    }
    const m = first + shift;
    const s = Math.sqrt(variance);
    mean[j] = m;
    scale[j] = s;
    const inverse = 1 / s;
    for (let i = 0; i < n; i++) z[offset + i] = (z[offset + i]! - m) * inverse;
  }
}

function throwNonFinite(x: Float64Array, n: number, p: number, j: number): never {
  for (let i = 0; i < n; i++) {
    const v = x[i * p + j]!;
    if (!Number.isFinite(v)) throw new InvalidInputError(`x has ${v} at row ${i}, column ${j}`);
  }
  throw new InvalidInputError(`column ${j} of x sums beyond the double range`);
}

// out[i] = w[p] + Σ_j w[j]·z[j][i]
function linearPredictor(
  z: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
  out: Float64Array,
): void {
  out.fill(w[p]!, 0, n);
  for (let j = 0; j < p; j++) {
    const weight = w[j]!;
    const offset = j * n;
    for (let i = 0; i < n; i++) out[i] = out[i]! + weight * z[offset + i]!;
  }
}

// Mean log-loss at eta = base + t·direction, which it writes to `eta`. On the way it writes μ - y
// and μ(1 - μ), which the next gradient and Hessian need, so each Newton step evaluates the
// exponential once per row. With t = 0 and base = eta it evaluates eta in place
function meanLoss(
  base: Float64Array,
  direction: Float64Array,
  t: number,
  eta: Float64Array,
  label: Float64Array,
  residual: Float64Array,
  curvature: Float64Array,
  n: number,
): number {
  // loss_i = softplus(η) - yη = max(η, 0) - yη + log(1 + e^-|η|); the logs are summed as the
  // log of a product, chunk by chunk (see LOG_PRODUCT_MASK)
  let linear = 0;
  let logs = 0;
  let product = 1;
  for (let i = 0; i < n; i++) {
    const v = base[i]! + t * direction[i]!;
    eta[i] = v;
    const y = label[i]!;
    const e = Math.exp(-Math.abs(v));
    const onePlus = 1 + e;
    // σ(η) from e^-|η| never overflows, and 1 - σ is formed without cancellation; both share
    // the one reciprocal
    const inverse = 1 / onePlus;
    let mu: number;
    let complement: number;
    if (v >= 0) {
      mu = inverse;
      complement = e * inverse;
      linear += v - y * v;
    } else {
      mu = e * inverse;
      complement = inverse;
      linear -= y * v;
    }
    residual[i] = mu - y;
    curvature[i] = mu * complement;
    product *= onePlus;
    if ((i & LOG_PRODUCT_MASK) === LOG_PRODUCT_MASK) {
      logs += Math.log(product);
      product = 1;
    }
  }
  return (linear + logs + Math.log(product)) / n;
}

// (l2 / 2)·Σ_{j<p} (w_j + t·step_j)², the intercept left out
function penalty(
  w: Float64Array,
  t: number,
  p: number,
  l2: number,
  step: Float64Array = w,
): number {
  let sum = 0;
  for (let j = 0; j < p; j++) {
    const v = w[j]! + t * step[j]!;
    sum += v * v;
  }
  return 0.5 * l2 * sum;
}

// Gradient of mean loss + penalty
function computeGradient(
  z: Float64Array,
  residual: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
  l2: number,
  gradient: Float64Array,
): void {
  const inverseN = 1 / n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += residual[i]!;
  gradient[p] = sum * inverseN;
  for (let j = 0; j < p; j++) {
    gradient[j] = dot(residual, 0, z, j * n, n) * inverseN + l2 * w[j]!;
  }
}

// Hessian of mean loss + penalty, written to the lower triangle of the row-major q×q array, which
// is all the Cholesky reads. This is the hot loop of the fit, so it works in 2×2 blocks: columns j
// and j+1 are weighted once, then each pass over the rows fills four entries with independent
// sums. One entry per pass costs the backtest about 35 ms of a 0.55 s run (n = 247, p = 6). It
// also writes one entry above the diagonal, which nothing reads
function computeHessian(
  z: Float64Array,
  curvature: Float64Array,
  n: number,
  p: number,
  l2: number,
  weighted: Float64Array,
  hessian: Float64Array,
): void {
  const q = p + 1;
  const inverseN = 1 / n;
  let total = 0;
  for (let i = 0; i < n; i++) total += curvature[i]!;
  hessian[p * q + p] = total * inverseN;
  let j = 0;
  for (; j + 1 < p; j += 2) {
    const offsetA = j * n;
    const offsetB = offsetA + n;
    let sumA = 0;
    let sumB = 0;
    for (let i = 0; i < n; i++) {
      const c = curvature[i]!;
      const a = c * z[offsetA + i]!;
      const b = c * z[offsetB + i]!;
      weighted[i] = a;
      weighted[n + i] = b;
      sumA += a;
      sumB += b;
    }
    hessian[p * q + j] = sumA * inverseN;
    hessian[p * q + j + 1] = sumB * inverseN;
    for (let k = 0; k <= j; k += 2) {
      const offset0 = k * n;
      const offset1 = offset0 + n;
      let a0 = 0;
      let a1 = 0;
      let b0 = 0;
      let b1 = 0;
      for (let i = 0; i < n; i++) {
        const a = weighted[i]!;
        const b = weighted[n + i]!;
        const x0 = z[offset0 + i]!;
        const x1 = z[offset1 + i]!;
        a0 += a * x0;
        a1 += a * x1;
        b0 += b * x0;
        b1 += b * x1;
      }
      hessian[j * q + k] = a0 * inverseN;
      hessian[j * q + k + 1] = a1 * inverseN;
      hessian[(j + 1) * q + k] = b0 * inverseN;
      hessian[(j + 1) * q + k + 1] = b1 * inverseN;
    }
  }
  if (j < p) {
    // The last column when p is odd
    const offsetA = j * n;
    let sumA = 0;
    for (let i = 0; i < n; i++) {
      const a = curvature[i]! * z[offsetA + i]!;
      weighted[i] = a;
      sumA += a;
    }
    hessian[p * q + j] = sumA * inverseN;
    for (let k = 0; k <= j; k++) hessian[j * q + k] = dot(weighted, 0, z, k * n, n) * inverseN;
  }
  for (let k = 0; k < p; k++) hessian[k * q + k] = hessian[k * q + k]! + l2;
}

function largestMagnitude(v: Float64Array, length: number): number {
  let largest = 0;
  for (let j = 0; j < length; j++) largest = Math.max(largest, Math.abs(v[j]!));
  return largest;
}

// Overwrites the lower triangle of a (row-major q×q) with L, a = L·Lᵀ; false if a is not positive
// definite
function choleskyInPlace(a: Float64Array, q: number): boolean {
  for (let j = 0; j < q; j++) {
    let d = a[j * q + j]!;
    for (let k = 0; k < j; k++) d -= a[j * q + k]! * a[j * q + k]!;
    if (!(d > 0)) return false;
    const pivot = Math.sqrt(d);
    a[j * q + j] = pivot;
    for (let i = j + 1; i < q; i++) {
      let s = a[i * q + j]!;
      for (let k = 0; k < j; k++) s -= a[i * q + k]! * a[j * q + k]!;
      a[i * q + j] = s / pivot;
    }
  }
  return true;
}

// Solves L·Lᵀ·x = -b into x, L being the lower triangle left by choleskyInPlace
function negatedSolve(l: Float64Array, q: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < q; i++) {
    let s = -b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * q + k]! * x[k]!;
    x[i] = s / l[i * q + i]!;
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < q; k++) s -= l[k * q + i]! * x[k]!;
    x[i] = s / l[i * q + i]!;
  }
}
