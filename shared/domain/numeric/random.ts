/** The largest seed: mulberry32 keeps 32 bits, so a larger one would repeat a smaller one's draws. */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * A small, fast, seedable uniform [0, 1) generator (mulberry32). Tests and generated markets use
 * it so that every run sees the same series; the research tools draw every seeded sample with it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
