import type { App } from 'aws-cdk-lib';
import { BacktestStack } from './backtest-stack.js';
import { DataStack } from './data-stack.js';
import type { AppSettings } from './settings.js';
import { TradingStack } from './trading-stack.js';

/** The deployed bot's stacks, as `cdk synth` builds them and the infra tests assert them. */
export function addTradingBot(
  app: App,
  settings: AppSettings,
): { data: DataStack; trading: TradingStack; backtest: BacktestStack } {
  const data = new DataStack(app, 'TradingBotData', {
    description: 'Trading bot: state table and bucket, Alpaca secret (all retained on delete)',
  });
  const trading = new TradingStack(app, 'TradingBot', {
    description: 'Trading bot: the daily run, its schedule and alarms',
    storage: data.storage,
    alpacaSecret: data.alpaca.secret,
    settings,
  });
  const backtest = new BacktestStack(app, 'TradingBotBacktest', {
    description: 'Trading bot: research sweeps fanned out to Fargate, started by hand',
    storage: data.storage,
    config: trading.config,
    settings,
  });
  return { data, trading, backtest };
}
