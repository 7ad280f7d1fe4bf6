import { describe, expect, it } from 'vitest';
import {
  itemKey,
  objectKey,
  seriesPartition,
  TABLE_DEFINITION,
} from '../../../shared/adapters/state-layout.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import type { DocumentKey, SnapshotKey } from '../../../shared/ports/index.js';

describe('itemKey', () => {
  it.each([
    { key: 'run/2024-03-01/record', pk: 'RUN#2024-03-01', sk: 'record' },
    { key: 'run/2024-03-01/day', pk: 'RUN#2024-03-01', sk: 'day' },
    { key: 'run/2024-03-01/working-portfolio', pk: 'RUN#2024-03-01', sk: 'working-portfolio' },
    { key: 'portfolio/2024-03-01', pk: 'PORTFOLIO', sk: '2024-03-01' },
    { key: 'order/2024-03-01-AAPL-buy-entry', pk: 'ORDER', sk: '2024-03-01-AAPL-buy-entry' },
    { key: 'order/2024-03-01-BRK.B-sell-exit', pk: 'ORDER', sk: '2024-03-01-BRK.B-sell-exit' },
    { key: 'equity/2024-03-01', pk: 'EQUITY', sk: '2024-03-01' },
    { key: 'control/trading-state', pk: 'CONTROL', sk: 'TRADING_STATE' },
    { key: 'market/vix-last-close', pk: 'MARKET', sk: 'VIX_LAST_CLOSE' },
    { key: 'venue/opened-through', pk: 'VENUE', sk: 'OPENED_THROUGH' },
  ] as const)('$key -> $pk / $sk', ({ key, pk, sk }) => {
    expect(itemKey(key)).toEqual({ pk, sk });
  });

  it.each([
    'run/2024-03-01/unknown', // not a run artefact
    'run/2024-03-01', // no artefact
    'run/2024-3-1/record', // would sort wrongly
    'run/2024-02-30/record', // no such day
    'run/2024-03-01/record/extra',
    'portfolio/',
    'portfolio/20240301',
    'portfolio/2024-03-01/extra',
    'equity/yesterday',
    'order/',
    `order/${'x'.repeat(129)}`, // longer than Alpaca's client_order_id
    'order/2024-03-01/AAPL', // a slash is no part of a client order id
    'control/other',
    'positions/2024-03-01',
    '',
  ])('rejects "%s"', (key) => {
    expect(() => itemKey(key as DocumentKey)).toThrow(InvalidInputError);
  });

  it('names the key it rejects', () => {
    expect(() => itemKey('run/2024-13-01/record')).toThrow(/run\/2024-13-01\/record/);
  });
});

describe('seriesPartition', () => {
  it.each([
    { series: 'portfolio', partition: 'PORTFOLIO' },
    { series: 'order', partition: 'ORDER' },
    { series: 'equity', partition: 'EQUITY' },
  ] as const)(
    '$series -> $partition, the partition its documents are written to',
    ({ series, partition }) => {
      expect(seriesPartition(series)).toBe(partition);
      expect(itemKey(`${series}/2024-03-01`).pk).toBe(partition);
    },
  );
});

describe('objectKey', () => {
  it('market-state/2024-03-01 -> market-state/2024-03-01.json', () => {
    expect(objectKey('market-state/2024-03-01')).toBe('market-state/2024-03-01.json');
  });

  it.each([
    'market-state/',
    'market-state/2024-03-01/extra',
    'market-state/2024-3-01',
    'run/2024-03-01/record',
    'run/2024-03-01/features',
    'run/2024-03-01',
    'features/2024-03-01',
  ])('rejects "%s"', (key) => {
    expect(() => objectKey(key as SnapshotKey)).toThrow(InvalidInputError);
  });
});

describe('TABLE_DEFINITION', () => {
  it('keys the table on pk (hash) and sk (range), both strings, billed on demand', () => {
    expect(TABLE_DEFINITION).toEqual({
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
});
