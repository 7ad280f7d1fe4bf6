import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import type { Intent, Side } from '../../../../shared/domain/model.js';
import {
  clientOrderId,
  entryOfStop,
  parseClientOrderId,
  replacedStopId,
} from '../../../../shared/domain/orders/client-order-id.js';

describe('clientOrderId', () => {
  it('joins the trading date, symbol, side and intent', () => {
    expect(clientOrderId('2023-07-03', 'AAPL', 'buy', 'entry')).toBe('2023-07-03-AAPL-buy-entry');
  });

  it('derives the same id on a retry', () => {
    const first = clientOrderId('2023-07-03', 'BRK.B', 'sell', 'stop');
    const retry = clientOrderId('2023-07-03', 'BRK.B', 'sell', 'stop');

    expect(retry).toBe(first);
  });

  it.each<{ changed: string; args: [string, string, Side, Intent] }>([
    { changed: 'date', args: ['2023-07-05', 'AAPL', 'buy', 'entry'] },
    { changed: 'symbol', args: ['2023-07-03', 'MSFT', 'buy', 'entry'] },
    { changed: 'side', args: ['2023-07-03', 'AAPL', 'sell', 'entry'] },
    { changed: 'intent', args: ['2023-07-03', 'AAPL', 'buy', 'exit'] },
  ])('changes with the $changed', ({ args }) => {
    expect(clientOrderId(...args)).not.toBe(clientOrderId('2023-07-03', 'AAPL', 'buy', 'entry'));
  });

  it('gives each side and intent of a day and symbol its own id', () => {
    const sides: Side[] = ['buy', 'sell'];
    const intents: Intent[] = ['entry', 'exit', 'stop'];
    const ids = sides.flatMap((side) =>
      intents.map((intent) => clientOrderId('2023-07-03', 'AAPL', side, intent)),
    );

    expect(new Set(ids).size).toBe(6);
  });

  // '2023-07-03-' and '-buy-entry' take 21 characters, so a 107-character symbol reaches 128
  it.each([
    { symbolLength: 107, length: 128 },
    { symbolLength: 1, length: 22 },
  ])('accepts an id of $length characters', ({ symbolLength, length }) => {
    const id = clientOrderId('2023-07-03', 'X'.repeat(symbolLength), 'buy', 'entry');

    expect(id).toHaveLength(length);
  });

  it('throws InvalidInputError for an id of 129 characters', () => {
    expect(() => clientOrderId('2023-07-03', 'X'.repeat(108), 'buy', 'entry')).toThrow(
      InvalidInputError,
    );
    expect(() => clientOrderId('2023-07-03', 'X'.repeat(108), 'buy', 'entry')).toThrow(
      /longer than 128/,
    );
  });
});

describe('replacedStopId', () => {
  const lot = { symbol: 'GOOGL', entryOrderId: '2023-06-15-GOOGL-buy-entry' };

  it('names the date, the symbol, the lot by its entry date, and the cause', () => {
    expect(replacedStopId('2023-06-20', lot, 'protect')).toBe(
      '2023-06-20-GOOGL-sell-stop-2023-06-15-protect',
    );
    expect(parseClientOrderId(replacedStopId('2023-06-20', lot, 'kept'))).toEqual({
      tradingDate: '2023-06-20',
      symbol: 'GOOGL',
      side: 'sell',
      intent: 'stop',
    });
    // Sent on its own: no entry to look its leg up through
    expect(entryOfStop(replacedStopId('2023-06-20', lot, 'kept'))).toBeUndefined();
  });

  it('is the same on a rerun, and another for another lot, cause or day', () => {
    const other = { symbol: 'GOOGL', entryOrderId: '2023-06-16-GOOGL-buy-entry' };
    const ids = [
      replacedStopId('2023-06-20', lot, 'protect'),
      replacedStopId('2023-06-20', lot, 'kept'),
      replacedStopId('2023-06-20', other, 'protect'),
      replacedStopId('2023-06-21', lot, 'protect'),
    ];
    expect(replacedStopId('2023-06-20', lot, 'protect')).toBe(ids[0]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('throws for a lot whose entry is not one of its symbol', () => {
    expect(() =>
      replacedStopId('2023-06-20', { symbol: 'MSFT', entryOrderId: lot.entryOrderId }, 'protect'),
    ).toThrow(InvalidInputError);
  });
});
