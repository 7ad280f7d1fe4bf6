import { configJson, readConfigFile } from '../adapters/config-file.js';
import { ParametersAndSecrets } from '../adapters/parameters-and-secrets.js';
import { parseConfig, type TradingConfig } from '../domain/config.js';
import { ConfigError } from '../domain/errors.js';
import type { Env } from './env.js';

/**
 * The trading config, from a file locally or an SSM parameter in AWS (neither: the defaults),
 * validated once per cold start: a bad config fails the first invoke, naming where it came from.
 */
export async function readTradingConfig(
  env: Env,
  extension: () => ParametersAndSecrets = () => new ParametersAndSecrets(),
): Promise<TradingConfig> {
  const { TRADING_CONFIG_FILE: file, TRADING_CONFIG_PARAMETER: parameter } = env;
  if (file !== undefined && parameter !== undefined) {
    throw new ConfigError(
      'both TRADING_CONFIG_FILE and TRADING_CONFIG_PARAMETER are set: name one source of the config',
    );
  }
  if (parameter !== undefined) {
    const source = `SSM parameter ${parameter}`;
    return parseConfig(configJson(await extension().parameter(parameter), source), source);
  }
  return parseConfig(await readConfigFile(file), file ?? 'config');
}
