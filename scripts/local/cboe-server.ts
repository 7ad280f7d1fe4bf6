import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for CBOE's CDN on 127.0.0.1: serves one CSV, counts requests, fails on demand. */
export interface CboeServer {
  /** The file's URL */
  readonly url: string;
  /** Requests received so far */
  readonly requests: number;
  csv: string;
  /** The next `count` requests answer `status` */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startCboeServer(csv: string, listenOn = 0): Promise<CboeServer> {
  let failures: { remaining: number; status: number } = { remaining: 0, status: 500 };
  const state = { csv, requests: 0 };
  const server = createServer((_req, res) => {
    state.requests++;
    if (failures.remaining > 0) {
      failures.remaining--;
      res.writeHead(failures.status).end('unavailable');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/csv' }).end(state.csv);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(listenOn, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/global/us_indices/daily_prices/VIX_History.csv`,
    get requests() {
      return state.requests;
    },
    get csv() {
      return state.csv;
    },
    set csv(text: string) {
      state.csv = text;
    },
    failNext(count, status = 503) {
      failures = { remaining: count, status };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/**
 * The shipped data/vix/daily.csv in CBOE's layout (DATE,OPEN,HIGH,LOW,CLOSE, MM/DD/YYYY, CRLF),
 * the numbers as written, through `through` if given: what CBOE's file held that evening.
 */
export async function shippedVixAsCboe(through = '9999-12-31'): Promise<string> {
  const [, ...rows] = (await readFile('data/vix/daily.csv', 'utf8')).trim().split('\n');
  const lines = rows
    .map((row) => row.split(','))
    .filter(([date]) => date! <= through)
    .map(([date, ...values]) => {
      const [year, month, day] = date!.split('-');
      return [`${month}/${day}/${year}`, ...values].join(',');
    });
  return `${['DATE,OPEN,HIGH,LOW,CLOSE', ...lines].join('\r\n')}\r\n`;
}
