import type { RunState } from '../../shared/steps/types.js';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const pct = (value: number) => `${(value * 100).toFixed(2)} %`;

/** One line saying what a state of the workflow did, from the state it handed on. */
export function describeStep(stateName: string, state?: RunState, error?: Error): string {
  const step = stateName.replace(/-task$/, '');
  if (state === undefined) {
    const refused =
      error?.name === 'RunAlreadyCompletedError' || error?.name === 'RunInProgressError';
    return `  ${step.padEnd(20)} ${refused ? 'refused' : 'FAILED'}: ${error?.name}: ${error?.message}`;
  }
  const c = state.counts ?? {};
  const said: Record<string, () => string> = {
    'check-calendar': () =>
      state.marketOpen === false
        ? `market closed (${state.closedReason})`
        : `market open${state.resumed ? ', resuming an unfinished run' : ''}`,
    'fetch-data': () =>
      `equity ${money.format(state.equity ?? 0)}, cash ${money.format(state.cash ?? 0)}, ` +
      `${c.closedTrades ?? 0} trades closed, ${c.unfilledOrders ?? 0} orders unfilled`,
    'detect-regime': () => `regime ${state.regime}, trading ${state.tradingState}`,
    'generate-signals': () => `${c.signals ?? 0} signals`,
    'filter-correlation': () =>
      `${c.candidates ?? 0} candidates, ${c.filteredOut ?? 0} filtered out`,
    'size-positions': () => `${c.sized ?? 0} sized`,
    'check-risk': () => `${c.approved ?? 0} approved, ${c.rejected ?? 0} rejected`,
    'execute-orders': () =>
      `${c.entriesSent ?? 0} entry orders sent, ${c.entriesRejected ?? 0} refused by the venue`,
    'monitor-exits': () => `${c.exits ?? 0} lots exiting, ${c.exitOrders ?? 0} sell orders sent`,
    report: () =>
      `equity ${money.format(state.equity ?? 0)}` +
      (typeof state.dailyReturn === 'number' ? ` (${pct(state.dailyReturn)} on the day)` : '') +
      `, heat ${pct(state.heat ?? 0)}, drawdown ${pct(state.drawdown ?? 0)}`,
    'report-market-closed': () => 'market-closed report written',
    'report-failure': () => `failure report written (${state.error?.Error})`,
  };
  return `  ${step.padEnd(20)} ${said[step]?.() ?? ''}`;
}
