/**
 * node --import out/bench/replay-progress.mjs out/bench/replay.mjs …
 * A preload for the timed replay: scripts/replay.ts reports each finished day on a TTY's stderr, so
 * this one tells it stderr is a TTY, keeps the time of each report instead of printing it, and at
 * exit writes them to $BENCH_REPLAY_DAYS_FILE as JSON: one timestamp a day, from process start
 * (and in process.hrtime µs, the clock of a --cpu-prof profile, to read one day's samples).
 * Nothing else of the replay changes; a person at a terminal pays for the same writes.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_REPLAY_DAYS_FILE;
if (file === undefined) throw new Error('replay-progress needs BENCH_REPLAY_DAYS_FILE');
const preloadMs = performance.now();
const dayEndsMs: number[] = [];
const dayEndsUs: number[] = [];
Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
  if (typeof chunk === 'string' && chunk.startsWith('\rreplay ')) {
    dayEndsMs.push(performance.now());
    dayEndsUs.push(Number(process.hrtime.bigint() / 1000n));
    return true;
  }
  // The newline replay.ts ends its progress line with
  if (chunk === '\n' && dayEndsMs.length > 0) return true;
  return write(chunk, ...rest);
}) as typeof process.stderr.write;
process.on('exit', () => writeFileSync(file, JSON.stringify({ preloadMs, dayEndsMs, dayEndsUs })));
