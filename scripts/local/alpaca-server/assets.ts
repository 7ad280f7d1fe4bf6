import { assetId } from './orders.js';

// The listing venue of the shipped symbols that trade on Nasdaq; the rest list on the NYSE
const NASDAQ = new Set([
  'AAPL',
  'MSFT',
  'NVDA',
  'CSCO',
  'GOOGL',
  'META',
  'NFLX',
  'AMZN',
  'TSLA',
  'COST',
]);

/** The venue a shipped symbol lists on, as positions and assets report it. */
export const exchangeOf = (symbol: string): string => (NASDAQ.has(symbol) ? 'NASDAQ' : 'NYSE');

export interface AssetState {
  readonly status: 'active' | 'inactive';
  readonly tradable: boolean;
}

/** The tradable universe: the shipped symbols, each active and tradable unless a test says not. */
export class Assets {
  readonly #names: ReadonlyMap<string, string>;
  readonly #states = new Map<string, AssetState>();

  constructor(symbols: readonly string[], names: ReadonlyMap<string, string>) {
    this.#names = names;
    for (const symbol of symbols) this.#states.set(symbol, { status: 'active', tradable: true });
  }

  get(symbol: string): AssetState | undefined {
    return this.#states.get(symbol);
  }

  set(symbol: string, state: Partial<AssetState>): void {
    const current = this.#states.get(symbol);
    if (!current) throw new Error(`the Alpaca test server has no asset ${symbol}`);
    this.#states.set(symbol, { ...current, ...state });
  }

  /** Symbol or asset id to symbol. */
  resolve(symbolOrId: string): string | undefined {
    if (this.#states.has(symbolOrId)) return symbolOrId;
    return [...this.#states.keys()].find((symbol) => assetId(symbol) === symbolOrId);
  }

  symbols(): string[] {
    return [...this.#states.keys()];
  }

  /** `GET /v2/assets/{symbol}` */
  wire(symbol: string): Record<string, unknown> {
    const state = this.#states.get(symbol)!;
    return {
      id: assetId(symbol),
      class: 'us_equity',
      exchange: exchangeOf(symbol),
      symbol,
      name: this.#names.get(symbol) ?? symbol,
      status: state.status,
      tradable: state.tradable,
      marginable: true,
      shortable: true,
      easy_to_borrow: true,
      fractionable: true,
      attributes: [],
    };
  }
}
