/**
 * Σ a[aStart + i]·b[bStart + i] for i < n. Even and odd terms are summed apart and added at the
 * end, which halves the wait on the sum's latency; callers that must agree bit for bit (the
 * correlation functions) rely on this exact order.
 */
export function dot(
  a: Float64Array,
  aStart: number,
  b: Float64Array,
  bStart: number,
  n: number,
): number {
  let even = 0;
  let odd = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    even += a[aStart + i]! * b[bStart + i]!;
    odd += a[aStart + i + 1]! * b[bStart + i + 1]!;
  }
  if (i < n) even += a[aStart + i]! * b[bStart + i]!;
  return even + odd;
}
