/**
 * npm run bot -- status | history [--days N] | positions | halt --reason R | resume | run [--date D]
 * Operates the bot: the local state under .local/ by default, the deployed table with --table.
 */

import { bot, USAGE } from './bot/cli.js';
import { runCli } from './cli.js';

runCli('npm run bot', USAGE, async () => {
  const { ok, lines } = await bot(process.argv.slice(2));
  for (const line of lines) console.log(line);
  if (!ok) process.exitCode = 1;
});
