import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import {
  DEFAULT_L2,
  fitLogistic,
  type LogisticModel,
  modelFromJSON,
  modelToJSON,
  predictProbability,
  sigmoid,
} from '../../../../shared/domain/ml/logistic-regression.js';
import { mulberry32 } from '../../../support/random.js';

function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm away from 0
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

interface Sample {
  x: Float64Array;
  y: Uint8Array;
  n: number;
  p: number;
}

/** Rows drawn from a known logistic model, with features on deliberately uneven scales. */
function aLogisticSample({
  n = 247,
  beta = [0.8, -0.5, 0.3, 0, 0.2, -0.1],
  intercept = 0.3,
  means = [0, 5, -2, 100, 0.01, 1],
  scales = [1, 0.01, 3, 20, 0.002, 0.5],
  seed = 1,
}: {
  n?: number;
  beta?: number[];
  intercept?: number;
  means?: number[];
  scales?: number[];
  seed?: number;
} = {}): Sample {
  const random = mulberry32(seed);
  const p = beta.length;
  const x = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = intercept;
    for (let j = 0; j < p; j++) {
      const v = means[j]! + scales[j]! * gaussian(random);
      x[i * p + j] = v;
      // beta is per standard deviation, so every feature matters as written whatever its scale
      eta += (beta[j]! * (v - means[j]!)) / scales[j]!;
    }
    y[i] = random() < sigmoid(eta) ? 1 : 0;
  }
  return { x, y, n, p };
}

function row(sample: Sample, i: number): Float64Array {
  return sample.x.subarray(i * sample.p, (i + 1) * sample.p);
}

// Gradient of mean log-loss + (l2 / 2)·Σ w_j² on the standardised features, computed the slow,
// obvious way, to check the fast solver's answer against the optimality condition itself
function penalisedGradient(model: LogisticModel, sample: Sample, l2: number): number[] {
  const { n, p } = sample;
  const gradient = new Array<number>(p + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const residual = predictProbability(model, row(sample, i)) - sample.y[i]!;
    for (let j = 0; j < p; j++) {
      const z = (sample.x[i * p + j]! - model.mean[j]!) / model.scale[j]!;
      gradient[j]! += (residual * z) / n;
    }
    gradient[p]! += residual / n;
  }
  for (let j = 0; j < p; j++) gradient[j]! += l2 * model.weights[j]!;
  return gradient;
}

function table2x2(counts: { a: number; b: number; c: number; d: number }): Sample {
  // a: x=1,y=1  b: x=1,y=0  c: x=0,y=1  d: x=0,y=0
  const cells: [number, number, number][] = [
    [1, 1, counts.a],
    [1, 0, counts.b],
    [0, 1, counts.c],
    [0, 0, counts.d],
  ];
  const n = counts.a + counts.b + counts.c + counts.d;
  const x = new Float64Array(n);
  const y = new Uint8Array(n);
  let i = 0;
  for (const [xv, yv, count] of cells) {
    for (let k = 0; k < count; k++, i++) {
      x[i] = xv;
      y[i] = yv;
    }
  }
  return { x, y, n, p: 1 };
}

describe('fitLogistic', () => {
  it('recovers the coefficients of the model that generated a large sample', () => {
    // Prepare
    const beta = [0.8, -0.5, 0.3, 0, 0.2, -0.1];
    const sample = aLogisticSample({ n: 20_000, beta, intercept: 0.3, seed: 42 });
    // Act
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    // Assess: with 20,000 rows the standard error is about 0.02
    expect(model.converged).toBe(true);
    beta.forEach((b, j) => {
      expect(Math.abs(model.weights[j]! - b)).toBeLessThan(0.06);
    });
    expect(Math.abs(model.weights[sample.p]! - 0.3)).toBeLessThan(0.06);
  });

  it.each([
    { a: 30, b: 10, c: 15, d: 45 }, // odds ratio 9
    { a: 5, b: 20, c: 40, d: 35 }, // odds ratio 0.21875
    { a: 1, b: 1, c: 1, d: 1 }, // no effect at all
  ])('matches the 2×2 table odds ratio for one binary feature: %o', (counts) => {
    // Prepare
    const { a, b, c, d } = counts;
    const sample = table2x2(counts);
    // Act
    const model = fitLogistic(sample.x, sample.y, sample.n, 1, { l2: 0, tolerance: 1e-12 });
    // Assess: the saturated model's MLE reproduces the table exactly
    expect(model.weights[0]! / model.scale[0]!).toBeCloseTo(Math.log((a * d) / (b * c)), 10);
    expect(predictProbability(model, [1])).toBeCloseTo(a / (a + b), 12);
    expect(predictProbability(model, [0])).toBeCloseTo(c / (c + d), 12);
  });

  it('fits an intercept-only model to the base rate', () => {
    const y = new Uint8Array([1, 0, 0, 1, 0, 0, 0, 1]);
    const model = fitLogistic(new Float64Array(0), y, 8, 0, { l2: 0 });
    expect(model.weights[0]).toBeCloseTo(Math.log(3 / 5), 12);
    expect(predictProbability(model, [])).toBeCloseTo(3 / 8, 12);
  });

  it.each([
    { l2: 0, seed: 3 },
    { l2: DEFAULT_L2, seed: 4 },
    { l2: 0.1, seed: 5 },
    { l2: 2, seed: 6 },
  ])('lands where the penalised gradient vanishes (l2 $l2)', ({ l2, seed }) => {
    const sample = aLogisticSample({ seed });
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p, { l2, tolerance: 1e-10 });
    expect(model.converged).toBe(true);
    for (const g of penalisedGradient(model, sample, l2)) expect(Math.abs(g)).toBeLessThan(1e-12);
  });

  it('shrinks the weights as the ridge grows but leaves the intercept free', () => {
    const sample = aLogisticSample({ seed: 8 });
    const norms = [0, 0.01, 0.1, 1].map((l2) => {
      const { weights } = fitLogistic(sample.x, sample.y, sample.n, sample.p, { l2 });
      return Math.hypot(...weights.subarray(0, sample.p));
    });
    for (let k = 1; k < norms.length; k++) expect(norms[k]).toBeLessThan(norms[k - 1]!);
    // With the weights crushed, the unpenalised intercept still matches the base rate
    const crushed = fitLogistic(sample.x, sample.y, sample.n, sample.p, { l2: 1e6 });
    const rate = sample.y.reduce((sum, v) => sum + v, 0) / sample.n;
    expect(sigmoid(crushed.weights[sample.p]!)).toBeCloseTo(rate, 4);
  });

  it('gives bit-identical weights for the same input, whatever was fitted in between', () => {
    // Prepare
    const sample = aLogisticSample({ seed: 11 });
    const other = aLogisticSample({ seed: 12 });
    const smaller = aLogisticSample({
      n: 60,
      beta: [1, -1, 0.5],
      means: [0, 0, 0],
      scales: [1, 1, 1],
    });
    // Act
    const first = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    fitLogistic(other.x, other.y, other.n, other.p);
    fitLogistic(smaller.x, smaller.y, smaller.n, smaller.p);
    const second = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    // Assess: element by element with Object.is, so even the sign of zero must agree
    expect(second.iterations).toBe(first.iterations);
    for (const key of ['weights', 'mean', 'scale'] as const) {
      expect(Array.from(second[key]).every((v, j) => Object.is(v, first[key][j]))).toBe(true);
    }
  });

  it('reaches the same weights from a warm start as from a cold one', () => {
    // Prepare: last month's window, then this month's, sharing most rows like a monthly retrain
    const history = aLogisticSample({ n: 268, seed: 21 });
    const p = history.p;
    const lastMonth = {
      ...history,
      x: history.x.subarray(0, 247 * p),
      y: history.y.subarray(0, 247),
    };
    const thisMonth = { ...history, x: history.x.subarray(21 * p), y: history.y.subarray(21) };
    const previous = fitLogistic(lastMonth.x, lastMonth.y, 247, p);
    const tight = { tolerance: 1e-10 };
    // Act
    const cold = fitLogistic(thisMonth.x, thisMonth.y, 247, p, tight);
    const warm = fitLogistic(thisMonth.x, thisMonth.y, 247, p, {
      ...tight,
      initial: previous.weights,
    });
    const warmDefault = fitLogistic(thisMonth.x, thisMonth.y, 247, p, {
      initial: previous.weights,
    });
    // Assess
    expect(warm.converged).toBe(true);
    for (let j = 0; j <= p; j++) {
      expect(warm.weights[j]).toBeCloseTo(cold.weights[j]!, 12);
      expect(warmDefault.weights[j]).toBeCloseTo(cold.weights[j]!, 5);
    }
  });

  it('backtracks from a wild warm start instead of overshooting, and lands on the optimum', () => {
    // Prepare: plain Newton from weights this far off saturates every row and diverges
    const sample = aLogisticSample({ seed: 23 });
    const wild = [-30, 20, -30, 20, -30, 20, 15];
    // Act
    const cold = fitLogistic(sample.x, sample.y, sample.n, sample.p, { tolerance: 1e-10 });
    const warm = fitLogistic(sample.x, sample.y, sample.n, sample.p, {
      tolerance: 1e-10,
      initial: wild,
    });
    // Assess
    expect(warm.converged).toBe(true);
    for (let j = 0; j <= sample.p; j++) expect(warm.weights[j]).toBeCloseTo(cold.weights[j]!, 10);
  });

  it('starts again from the base rate when a warm start saturates every row', () => {
    // An intercept of 1000 predicts exactly 1 everywhere: no curvature is left to step with
    const sample = aLogisticSample({ seed: 24 });
    const cold = fitLogistic(sample.x, sample.y, sample.n, sample.p, { tolerance: 1e-10 });
    const warm = fitLogistic(sample.x, sample.y, sample.n, sample.p, {
      tolerance: 1e-10,
      initial: [0, 0, 0, 0, 0, 0, 1000],
    });
    expect(warm.converged).toBe(true);
    for (let j = 0; j <= sample.p; j++) expect(warm.weights[j]).toBeCloseTo(cold.weights[j]!, 10);
  });

  it('needs a single Newton step when warm-started at its own optimum', () => {
    const sample = aLogisticSample({ seed: 22 });
    const cold = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    const again = fitLogistic(sample.x, sample.y, sample.n, sample.p, { initial: cold.weights });
    expect(again.iterations).toBe(1);
    for (let j = 0; j <= sample.p; j++) expect(again.weights[j]).toBeCloseTo(cold.weights[j]!, 8);
  });

  it('keeps perfectly separable data finite thanks to the ridge', () => {
    // Prepare: y = 1 exactly when the second feature is positive
    const n = 40;
    const x = new Float64Array(2 * n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = Math.sin(i);
      x[2 * i + 1] = i % 2 === 0 ? i + 1 : -i;
      y[i] = x[2 * i + 1]! > 0 ? 1 : 0;
    }
    // Act
    const model = fitLogistic(x, y, n, 2);
    // Assess
    expect(model.converged).toBe(true);
    for (const w of model.weights) expect(Number.isFinite(w)).toBe(true);
    for (let i = 0; i < n; i++) {
      const probability = predictProbability(model, x.subarray(2 * i, 2 * i + 2));
      expect(probability).toBeGreaterThan(0);
      expect(probability).toBeLessThan(1);
      expect(probability > 0.5).toBe(y[i] === 1);
    }
  });

  it('without a ridge on separable data, stops at the cap and does not claim convergence', () => {
    const n = 40;
    const x = new Float64Array(n).map((_, i) => i - 19.5);
    const y = new Uint8Array(n).map((_, i) => (i >= 20 ? 1 : 0));
    const model = fitLogistic(x, y, n, 1, { l2: 0, maxIterations: 10 });
    expect(model.iterations).toBe(10);
    expect(model.converged).toBe(false);
  });

  it('reports a fit cut short by maxIterations', () => {
    const sample = aLogisticSample({ seed: 31 });
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p, { maxIterations: 1 });
    expect(model.iterations).toBe(1);
    expect(model.converged).toBe(false);
  });

  it('returns probabilities strictly inside (0, 1) for every training row', () => {
    const sample = aLogisticSample({ beta: [3, -2, 1.5, 0, 2, -1], seed: 33 });
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    for (let i = 0; i < sample.n; i++) {
      const probability = predictProbability(model, row(sample, i));
      expect(probability).toBeGreaterThan(0);
      expect(probability).toBeLessThan(1);
    }
  });

  it('predicts the same whatever the units of the features', () => {
    // Prepare: the same data with every feature rescaled and shifted
    const sample = aLogisticSample({ seed: 41 });
    const shifted = Float64Array.from(sample.x, (v, k) => v * 10 ** (k % sample.p) - 7);
    // Act
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    const shiftedModel = fitLogistic(shifted, sample.y, sample.n, sample.p);
    // Assess: standardising inside the fit makes the ridge blind to units
    for (let i = 0; i < sample.n; i += 13) {
      const probability = predictProbability(model, row(sample, i));
      const shiftedRow = shifted.subarray(i * sample.p, (i + 1) * sample.p);
      expect(predictProbability(shiftedModel, shiftedRow)).toBeCloseTo(probability, 9);
    }
  });

  it('stores the population mean and standard deviation, even far from zero', () => {
    // Prepare: a feature near 1e6 whose spread is a millionth of its level
    const sample = aLogisticSample({ beta: [0.5], means: [1e6], scales: [1], seed: 45 });
    const values = Array.from(sample.x);
    const mean = values.reduce((sum, v) => sum + v, 0) / sample.n;
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / sample.n);
    // Act
    const model = fitLogistic(sample.x, sample.y, sample.n, 1);
    // Assess
    expect(model.mean[0]).toBeCloseTo(mean, 8);
    expect(model.scale[0]! / sd).toBeCloseTo(1, 9);
  });

  it('gives a constant feature scale 1 and weight 0, so it never moves a prediction', () => {
    // Prepare: copy a sample into three columns, the middle one constant
    const base = aLogisticSample({ beta: [0.8, -0.5], means: [0, 0], scales: [1, 1], seed: 51 });
    const x = new Float64Array(base.n * 3);
    for (let i = 0; i < base.n; i++) x.set([base.x[2 * i]!, 42, base.x[2 * i + 1]!], 3 * i);
    // Act
    const model = fitLogistic(x, base.y, base.n, 3);
    // Assess
    expect(model.scale[1]).toBe(1);
    expect(model.weights[1]).toBe(0);
    expect(predictProbability(model, [0.1, 42, -0.2])).toBe(
      predictProbability(model, [0.1, 1e6, -0.2]),
    );
  });

  it.each([
    { label: 0, rate: 0.5 / 201 },
    { label: 1, rate: 200.5 / 201 },
  ])('returns the smoothed base rate when every label is $label', ({ label, rate }) => {
    // Prepare
    const sample = aLogisticSample({ n: 200, seed: 61 });
    const y = new Uint8Array(sample.n).fill(label);
    // Act
    const model = fitLogistic(sample.x, y, sample.n, sample.p);
    // Assess
    expect(Number.isFinite(model.weights[sample.p])).toBe(true);
    expect(Array.from(model.weights.subarray(0, sample.p))).toEqual(new Array(sample.p).fill(0));
    expect(predictProbability(model, row(sample, 0))).toBeCloseTo(rate, 12);
    expect(model).toMatchObject({ iterations: 0, converged: true });
  });

  it('accepts labels as a Float64Array too', () => {
    const sample = aLogisticSample({ seed: 71 });
    const fromBytes = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    const fromDoubles = fitLogistic(sample.x, Float64Array.from(sample.y), sample.n, sample.p);
    expect(fromDoubles.weights).toEqual(fromBytes.weights);
  });

  it.each([
    { n: 3, p: 3, message: '3 rows cannot fit 3 features plus an intercept: need at least 4' },
    { n: 0, p: 0, message: '0 rows cannot fit 0 features plus an intercept: need at least 1' },
  ])('throws a RangeError when n ($n) < p + 1 ($p + 1)', ({ n, p, message }) => {
    const fit = () => fitLogistic(new Float64Array(n * p), new Uint8Array(n), n, p);
    expect(fit).toThrow(RangeError);
    expect(fit).toThrow(message);
  });

  it.each([
    { value: Number.NaN, text: 'NaN' },
    { value: Number.POSITIVE_INFINITY, text: 'Infinity' },
  ])('names the row and column of a $text in x', ({ value, text }) => {
    const sample = aLogisticSample({ seed: 81 });
    sample.x[17 * sample.p + 4] = value;
    const fit = () => fitLogistic(sample.x, sample.y, sample.n, sample.p);
    expect(fit).toThrow(InvalidInputError);
    expect(fit).toThrow(`x has ${text} at row 17, column 4`);
  });

  it.each([
    { value: 2, text: '2' },
    { value: 0.5, text: '0.5' },
    { value: Number.NaN, text: 'NaN' },
  ])('rejects the label $text', ({ value, text }) => {
    const sample = aLogisticSample({ seed: 82 });
    const y = Float64Array.from(sample.y);
    y[9] = value;
    expect(() => fitLogistic(sample.x, y, sample.n, sample.p)).toThrow(
      `y[9] is ${text}; labels must be 0 or 1`,
    );
  });

  it.each([
    { options: { l2: -1 }, message: 'l2 must be a finite number ≥ 0' },
    { options: { maxIterations: 0 }, message: 'maxIterations must be an integer ≥ 1' },
    { options: { tolerance: Number.NaN }, message: 'tolerance must be ≥ 0' },
    { options: { initial: [0, 0] }, message: 'initial has 2 weights; expected p + 1 = 7' },
  ])('rejects bad options: $message', ({ options, message }) => {
    const sample = aLogisticSample({ seed: 83 });
    expect(() => fitLogistic(sample.x, sample.y, sample.n, sample.p, options)).toThrow(message);
  });

  it('rejects arrays that do not match n and p', () => {
    const sample = aLogisticSample({ seed: 84 });
    expect(() => fitLogistic(sample.x, sample.y, sample.n, 5)).toThrow('x has 1482 values');
    expect(() => fitLogistic(sample.x, sample.y.subarray(1), sample.n, sample.p)).toThrow(
      'y has 246 labels; expected n = 247',
    );
  });
});

describe('predictProbability', () => {
  const sample = aLogisticSample({ seed: 91 });
  const model = fitLogistic(sample.x, sample.y, sample.n, sample.p);

  it('throws a RangeError on the wrong number of features', () => {
    expect(() => predictProbability(model, [1, 2, 3])).toThrow('expected 6 features, got 3');
  });

  it('throws on a NaN feature rather than returning NaN', () => {
    const features = Array.from(row(sample, 0));
    features[2] = Number.NaN;
    expect(() => predictProbability(model, features)).toThrow(InvalidInputError);
  });
});

describe('sigmoid', () => {
  it.each([
    { eta: 0, expected: 0.5 },
    { eta: 2, expected: 1 / (1 + Math.exp(-2)) },
    { eta: -40, expected: Math.exp(-40) / (1 + Math.exp(-40)) }, // tiny but not rounded to 0
    { eta: 800, expected: 1 }, // e^800 overflows in the naive e^η / (1 + e^η)
    { eta: -800, expected: 0 },
  ])('sigmoid($eta) = $expected', ({ eta, expected }) => {
    const value = sigmoid(eta);
    expect(Number.isNaN(value)).toBe(false);
    expect(value).toBeCloseTo(expected, 15);
  });

  it('is symmetric: σ(-η) = 1 - σ(η)', () => {
    for (const eta of [0.1, 1, 5, 20]) expect(sigmoid(-eta)).toBeCloseTo(1 - sigmoid(eta), 15);
  });
});

describe('modelToJSON / modelFromJSON', () => {
  it('round-trips through JSON text without changing a bit', () => {
    // Prepare
    const sample = aLogisticSample({ seed: 101 });
    const model = fitLogistic(sample.x, sample.y, sample.n, sample.p);
    // Act
    const restored = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(model))));
    // Assess
    expect(restored).toEqual(model);
    for (let i = 0; i < sample.n; i += 10) {
      expect(predictProbability(restored, row(sample, i))).toBe(
        predictProbability(model, row(sample, i)),
      );
    }
  });

  it.each([
    {
      name: 'a weight short',
      json: { weights: [1], mean: [0], scale: [1], iterations: 1, converged: true },
    },
    {
      name: 'a zero scale',
      json: { weights: [1, 0], mean: [0], scale: [0], iterations: 1, converged: true },
    },
    {
      name: 'a null weight',
      json: { weights: [null, 0], mean: [0], scale: [1], iterations: 1, converged: true },
    },
    { name: 'a missing field', json: { weights: [1, 0], mean: [0], scale: [1], iterations: 1 } },
    { name: 'not an object', json: 'model' },
  ])('rejects a stored model with $name', ({ json }) => {
    expect(() => modelFromJSON(json)).toThrow(InvalidInputError);
  });
});
