/** Pearson r from centred sums of squares and cross-products; NaN when either variance is 0. */
export function pearson(xx: number, yy: number, xy: number): number {
  // Rounding can push |r| a hair past 1, and a zero variance leaves r undefined
  if (!(xx > 0 && yy > 0)) return Number.NaN;
  const r = xy / (Math.sqrt(xx) * Math.sqrt(yy));
  return Math.min(1, Math.max(-1, r));
}
