import { rm } from 'node:fs/promises';
import * as z from 'zod';
import { backtestFiles } from '../backtest/output-files.js';
import type { Mailer, ObjectLinks, ObjectStore } from '../ports/index.js';
import { escapeXml } from '../reports/charts/index.js';
import { backtestTearsheet } from '../reports/tearsheet.js';
import { backtestOf, rank, type TaskResult } from './evaluate.js';
import { loadSpecHistory } from './load.js';
import { mergeShards } from './shards.js';
import { label, type ResearchSpec, specFingerprint } from './spec.js';
import { readStoredSpec, withStoredData } from './stored-inputs.js';
import { formatResults, resultsCsv, sweepTasks } from './sweep.js';

/** What the backtest state machine hands its merge step: the run's spec, shard count and folder. */
export const MergeRequestSchema = z.strictObject({
  specKey: z.string().min(1),
  shards: z.number().int().positive(),
  /** Where the shards wrote and the merged files go, e.g. `runs/<execution>/` */
  runPrefix: z.string().regex(/^([^/]+\/)+$/, 'must be a key prefix ending in /'),
});
export type MergeRequest = z.infer<typeof MergeRequestSchema>;

export interface MergeDeps {
  readonly store: ObjectStore;
  readonly links: ObjectLinks;
  /** null: no email (MAILER=none) */
  readonly mailer: Mailer | null;
  /** The date the summary email is filed under */
  readonly now: Date;
  /** Where the data folder is copied for the best run's backtest (Lambda: /tmp) */
  readonly scratch?: string;
}

/** Where the merge wrote, and the best combination: the state machine's output. */
export interface MergeOutcome {
  readonly name: string;
  readonly combinations: number;
  readonly shards: number;
  readonly best: { readonly combination: number; readonly params: Record<string, unknown> };
  readonly files: {
    readonly results: string;
    readonly summary: string;
    readonly tearsheet: string;
  };
  /** Where the summary email went (SES's id or the outbox file); absent without a mailer */
  readonly email?: string;
}

/**
 * Merges a sharded sweep into what one unsharded `npm run sweep` writes (results.csv, the best
 * run's files and tearsheet under best/) plus a summary.json, all in the object store, and emails
 * a short summary with links to the tearsheet and the results.
 */
export async function mergeBacktest(request: MergeRequest, deps: MergeDeps): Promise<MergeOutcome> {
  const { store } = deps;
  const { runPrefix, shards } = request;
  const spec = await readStoredSpec(store, request.specKey);
  const results = await mergeShards({
    tasks: sweepTasks(spec),
    count: shards,
    fingerprint: specFingerprint(spec),
    store,
    prefix: runPrefix,
  });
  const ranked = rank(results, spec.objective);
  const best = ranked[0]!;
  const key = (name: string) => `${runPrefix}${name}`;
  const files = {
    results: key('results.csv'),
    summary: key('summary.json'),
    tearsheet: key('best/tearsheet.html'),
  };

  // The best run again, for its files and tearsheet: the shards keep metrics, not whole runs
  const local = await withStoredData(store, spec, deps.scratch);
  try {
    const history = await loadSpecHistory(local);
    const { run, summary } = await backtestOf(history, local, {
      ...spec.period,
      params: best.params,
    });
    await store.put(files.results, joined(resultsCsv(spec, results)));
    for (const [name, chunks] of Object.entries(backtestFiles(run, summary))) {
      await store.put(key(`best/${name}`), joined(chunks));
    }
    await store.put(files.tearsheet, joined(backtestTearsheet(history, run, summary)));
    const document = {
      name: spec.name,
      fingerprint: specFingerprint(spec),
      specKey: request.specKey,
      shards,
      combinations: results.length,
      period: run.period,
      objective: spec.objective,
      top: ranked.slice(0, spec.top).map(({ combination, params, metrics }) => ({
        combination,
        params,
        metrics,
      })),
      files,
    };
    await store.put(files.summary, `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await rm(local.data, { recursive: true, force: true });
  }

  const outcome: MergeOutcome = {
    name: spec.name,
    combinations: results.length,
    shards,
    best: { combination: best.combination, params: { ...best.params } },
    files,
  };
  if (deps.mailer === null) return outcome;
  const email = await deps.mailer.send(
    await summaryEmail(spec, ranked, outcome, deps.links, deps.now),
  );
  return { ...outcome, email };
}

// The files are made as chunks for streaming to disk; an object is put whole
const joined = (chunks: Iterable<string>) => [...chunks].join('');

// Short on purpose: the tearsheet and results.csv behind the links hold the detail
async function summaryEmail(
  spec: ResearchSpec,
  ranked: readonly TaskResult[],
  outcome: MergeOutcome,
  links: ObjectLinks,
  now: Date,
) {
  const best = ranked[0]!;
  const [tearsheet, results] = await Promise.all([
    links.link(outcome.files.tearsheet, 'text/html; charset=utf-8'),
    links.link(outcome.files.results, 'text/csv; charset=utf-8'),
  ]);
  const heading =
    `${outcome.combinations} combinations in ${outcome.shards} shards, ` +
    `${best.period.from} .. ${best.period.to}; best by ${spec.objective}: ${label(best)}`;
  const table = formatResults(spec, ranked.slice(0, spec.top));
  const text = `Backtest ${spec.name}\n${heading}\n\n${table}\n\nTearsheet: ${tearsheet}\nResults: ${results}\n`;
  const html =
    `<h2>Backtest ${escapeXml(spec.name)}</h2><p>${escapeXml(heading)}</p>` +
    `<pre>${escapeXml(table)}</pre>` +
    `<p><a href="${escapeXml(tearsheet)}">Tearsheet</a> · <a href="${escapeXml(results)}">results.csv</a></p>`;
  const sharpe = best.metrics.sharpe === null ? '—' : best.metrics.sharpe.toFixed(2);
  return {
    kind: 'backtest' as const,
    tradingDate: now.toISOString().slice(0, 10),
    subject: `Backtest ${spec.name}: best sharpe ${sharpe} of ${outcome.combinations} combinations`,
    text,
    html,
  };
}
