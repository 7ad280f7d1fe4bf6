/**
 * npm run alpaca-server -- [--date YYYY-MM-DD] [--port N] [--data DIR]
 * The Alpaca-compatible server the tests use (scripts/local/alpaca-server) and the CBOE stand-in
 * as a process, serving the shipped bars, so `npm start -- --broker alpaca` can be tried by hand
 * with no account: it prints the variables to export. Its clock starts after the date's close and
 * moves only when told: type a date (and optionally `open`, `close` or HH:MM) and Enter.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../shared/domain/errors.js';
import { assertIsoDate } from '../shared/domain/time.js';
import { runCli } from './cli.js';
import { startAlpacaServer } from './local/alpaca-server/index.js';
import { shippedVixAsCboe, startCboeServer } from './local/cboe-server.js';

const USAGE = 'usage: npm run alpaca-server -- [--date YYYY-MM-DD] [--port N] [--data DIR]';
const DAY_POINT = /^(open|close|\d{2}:\d{2})$/;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string', default: '2023-06-15' },
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: 'data' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new InvalidInputError(`--port must be a port number, got "${values.port}"`);
  }
  const date = assertIsoDate(values.date, '--date');
  const server = await startAlpacaServer({ date, at: '17:00', dataDir: values.data, port });
  const cboe = await startCboeServer(await shippedVixAsCboe(), port + 1);
  console.log(`Alpaca-compatible server on ${server.url}, clock ${server.now().toISOString()}`);
  console.log('In another terminal:\n');
  console.log(`  export APCA_API_KEY_ID=${server.keyId} APCA_API_SECRET_KEY=${server.secret}`);
  console.log(`  export APCA_API_BASE_URL=${server.url} APCA_DATA_BASE_URL=${server.url}`);
  console.log(`  export VIX_URL=${cboe.url}`);
  console.log(`  npm start -- --broker alpaca --reset --date ${date}\n`);
  console.log('Type a date to move the clock after its close (or "DATE open"), Ctrl-C to stop.');

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [day, at = '17:00'] = line.trim().split(/\s+/);
    if (!day) return;
    try {
      assertIsoDate(day, 'the date');
      if (!DAY_POINT.test(at)) throw new InvalidInputError(`"${at}" is not open, close or HH:MM`);
      server.advanceTo(day, at);
      console.log(`clock ${server.now().toISOString()}`);
    } catch (error) {
      console.log((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  lines.close();
  await Promise.all([server.close(), cboe.close()]);
}

runCli('alpaca-server', USAGE, main);
