import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ALARM_FUNCTIONS,
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
} from '../../../infra/constructs/workflow-functions.js';
import { ResearchSpecSchema } from '../../../shared/research/spec.js';
import { AlarmEventSchema } from '../../../shared/steps/alarm-event.js';
import { ProbeEventSchema } from '../../../shared/steps/equity-probe.js';
import { reportEventSchema } from '../../../shared/steps/report-outcomes.js';
import { StartEventSchema, tradingDateOf } from '../../../shared/steps/start-event.js';
import { RunStateSchema } from '../../../shared/steps/types.js';

// The state machine's own input, as a manual start sends it
const WorkflowInputSchema = z.strictObject({ tradingDate: z.iso.date() });

// What each folder's payloads are parsed with: check-calendar gets the workflow input and the
// execution's id, the halt function an alarm's SNS notification, the equity probe its schedule's
// tick, the backtest state machine a research spec, every other function a RunState
const schemaOf = (folder: string, payload?: unknown): z.ZodType =>
  folder === 'workflow'
    ? WorkflowInputSchema
    : folder === 'backtest'
      ? ResearchSpecSchema
      : folder === 'check-calendar'
        ? StartEventSchema
        : folder === 'halt'
          ? AlarmEventSchema
          : folder === 'equity-probe'
            ? ProbeEventSchema
            : folder === 'report'
              ? reportEventSchema(payload)
              : RunStateSchema;

// The sample payloads are what a handler receives: they must stay valid as the schemas evolve
const folders = (await readdir('events', { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const files = (
  await Promise.all(
    folders.map(async (folder) =>
      (
        await readdir(join('events', folder))
      )
        .filter((name) => name.endsWith('.json'))
        .map((name) => ({ folder, file: join('events', folder, name) })),
    ),
  )
).flat();

// The trading date a payload is for, and the execution that runs it
function runOf(folder: string, payload: unknown): [string, string] {
  if (folder === 'check-calendar') {
    const start = StartEventSchema.parse(payload);
    return [tradingDateOf(start.input), start.executionId];
  }
  const state = schemaOf(folder, payload).parse(payload) as { tradingDate: string; runId: string };
  return [state.tradingDate, state.runId];
}

const fieldsOf = (schema: z.ZodType, payload: unknown) =>
  (schema.safeParse(payload).error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('events/<function>/*.json', () => {
  it('has a folder for every function and the workflow, and no other', () => {
    expect(folders).toEqual(
      [...WORKFLOW_FUNCTIONS, ...ALARM_FUNCTIONS, 'backtest', 'workflow'].sort(),
    );
  });

  it.each(files)('$file parses with its handler schema', async ({ folder, file }) => {
    const payload = JSON.parse(await readFile(file, 'utf8'));
    const parsed = schemaOf(folder, payload).safeParse(payload);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('keeps one run id per trading date across the steps', async () => {
    const runIds = new Map<string, Set<string>>();
    for (const { folder, file } of files) {
      // None is part of a run: the workflow's input names no run, an alarm follows one, a probe's
      // tick reads the session between two, and a research spec is no trading day
      if (['workflow', 'halt', 'equity-probe', 'backtest'].includes(folder)) continue;
      const [date, runId] = runOf(folder, JSON.parse(await readFile(file, 'utf8')));
      runIds.set(date, (runIds.get(date) ?? new Set()).add(runId));
    }
    for (const [date, ids] of runIds) {
      expect([...ids]).toEqual([
        `arn:aws:states:us-east-1:123456789012:execution:daily-run:${date}`,
      ]);
    }
  });
});

describe('a malformed payload', () => {
  const state = { tradingDate: '2023-06-16', runId: 'arn:aws:states:::execution:daily-run:x' };

  it.each<{ what: string; folder: WorkflowFunction | 'workflow'; payload: unknown; field: string }>(
    [
      {
        what: 'an impossible trading date',
        folder: 'fetch-data',
        payload: { ...state, tradingDate: '2023-02-30' },
        field: 'tradingDate',
      },
      {
        what: 'no run id',
        folder: 'report',
        payload: { tradingDate: '2023-06-16' },
        field: 'runId',
      },
      {
        what: 'a Catch error without its name',
        folder: 'report',
        payload: { failed: { ...state, error: { Cause: 'boom' } }, executionId: 'arn' },
        field: 'failed.error.Error',
      },
      {
        what: 'an impossible trading date in the workflow input',
        folder: 'check-calendar',
        payload: { input: { tradingDate: '2023-02-30' }, executionId: 'arn' },
        field: 'input.tradingDate',
      },
      {
        what: 'no execution id',
        folder: 'check-calendar',
        payload: { input: { tradingDate: '2023-06-16' } },
        field: 'executionId',
      },
      {
        what: 'a start without a trading date',
        folder: 'workflow',
        payload: { date: '2023-06-16' },
        field: 'tradingDate',
      },
    ],
  )('is rejected naming the field: $what', ({ folder, payload, field }) => {
    expect(fieldsOf(schemaOf(folder, payload), payload)).toContain(field);
  });
});
