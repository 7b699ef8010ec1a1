import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Attempt } from '../../core/attempt.js';
import { cellKey } from '../../core/matrix.js';
import { blendedPrice } from '../../core/pricing.js';
import { Random } from '../../core/random.js';
import type { RunKind } from '../../core/run.js';
import { type CalibrationMethod, preferencePair, trainingTargets } from '../../reputation/index.js';
import { knownTokens } from '../store/joins.js';
import type { Store } from '../store/store.js';
import { forecastsWithRequests, runKinds } from '../store/training-source.js';
import { type ChatMessage, chatMessagesFromRequest } from './request-messages.js';

/** Output formats of `export training`. */
export const TRAINING_FORMATS = ['sft', 'preference', 'jsonl'] as const;

/** An output format of `export training`. */
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

/** Defaults of the training export (one place). */
export const TRAINING_EXPORT_DEFAULTS = { seed: 42, validationShare: 0.2, method: 'isotonic' as CalibrationMethod };

/** What an export wrote and skipped. */
export interface TrainingExportSummary {
  /** Records written (pairs for `preference`). */
  records: number;
  /** Of which on training tasks. */
  train: number;
  /** Of which on validation tasks. */
  validation: number;
  /** Forecasts skipped, by reason. */
  skipped: Record<string, number>;
  /** Labelled rows by where their outcome came from. */
  labelSources: Record<string, number>;
  /** A line for the user when nothing could be exported and why (e.g. a run without bids). */
  note: string | null;
  /** Whether the file was written (not when there was nothing to export). */
  written: boolean;
}

type StoredAttempt = Attempt & { runId: string };

const JUDGED: ReadonlySet<RunKind> = new Set(['attempt', 'market']);

/** Where an attempt's outcome came from, or null when it is neither judged nor a named external evaluation. */
function labelSource(attempt: StoredAttempt, kinds: Map<string, RunKind>): string | null {
  const kind = kinds.get(attempt.runId);
  if (kind !== undefined && JUDGED.has(kind)) return `judged attempt (${kind} run ${attempt.runId})`;
  if (kind === 'import') return `external evaluation (${attempt.outcome.trajectoryRef ?? `import run ${attempt.runId}`})`;
  return null;
}

/** The outcome that labels a forecast: its own run's attempt first, then judged before external, lowest round. */
function labelFor(options: { attempts: readonly StoredAttempt[]; runId: string; kinds: Map<string, RunKind> }) {
  const eligible = options.attempts
    .map((attempt) => ({ attempt, source: labelSource(attempt, options.kinds) }))
    .filter((entry): entry is { attempt: StoredAttempt; source: string } => entry.source !== null);
  const rank = (entry: { attempt: StoredAttempt; source: string }) =>
    (entry.attempt.runId === options.runId ? 0 : 2) + (entry.source.startsWith('judged') ? 0 : 1);
  eligible.sort((a, b) => rank(a) - rank(b) || a.attempt.round - b.attempt.round);
  return eligible[0];
}

/**
 * Exports self-assessment training data from a store: one record per (task, worker, treatment)
 * forecast that has its request stored and a judged or named-external outcome. Targets are the
 * worker's own calibration map applied to its stated p, cross-fitted by task (see
 * `trainingTargets`); the actual token count comes from the attempt (or its cost ÷ the worker's
 * blended price). The first line is a header naming the label sources and what was skipped. The
 * file is written whole or not at all.
 */
export function exportTraining(options: {
  /** The open store. */
  store: Store;
  /** Store file name, for the header. */
  storeFile: string;
  /** One run's forecasts (default every run). */
  runId?: string;
  /** Output format. */
  format: TrainingFormat;
  /** File to write. */
  outFile: string;
  /** Seed of the split and folds. */
  seed?: number;
  /** Share of tasks for validation. */
  validationShare?: number;
  /** Calibration method of the targets. */
  method?: CalibrationMethod;
  /** When set, the targets are the worker's empirical outcome rate with this smoothing α (`--target empirical`). */
  smoothing?: number | undefined;
}): TrainingExportSummary {
  const { store, format } = options;
  const seed = options.seed ?? TRAINING_EXPORT_DEFAULTS.seed;
  const method = options.method ?? TRAINING_EXPORT_DEFAULTS.method;
  const validationShare = options.validationShare ?? TRAINING_EXPORT_DEFAULTS.validationShare;
  const kinds = runKinds(store);
  const prices = new Map(store.getWorkers().map((worker) => [worker.id, blendedPrice(worker.pricing)]));
  const byCell = new Map<string, StoredAttempt[]>();
  for (const attempt of store.getAttempts()) {
    const key = cellKey(attempt.taskId, attempt.workerId);
    byCell.set(key, [...(byCell.get(key) ?? []), attempt]);
  }
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const usable: {
    forecast: ReturnType<typeof forecastsWithRequests>[number];
    messages: ChatMessage[];
    attempt: StoredAttempt;
    source: string;
    p: number;
    y: 0 | 1;
    tokens: number | null;
  }[] = [];
  const forecasts = forecastsWithRequests(store, options.runId === undefined ? {} : { runId: options.runId });
  for (const forecast of forecasts) {
    if (!forecast.valid || forecast.pSuccess === null) {
      skip('invalid forecast (no stated p)');
      continue;
    }
    if (forecast.request === null) {
      skip('no stored request (imported rows, e.g. the paper’s, keep only the stated p)');
      continue;
    }
    const messages = chatMessagesFromRequest(forecast.request);
    if (!messages) {
      skip('stored request in an unrecognised wire format');
      continue;
    }
    const label = labelFor({ attempts: byCell.get(cellKey(forecast.taskId, forecast.workerId)) ?? [], runId: forecast.runId, kinds });
    if (!label) {
      skip('no judged or external outcome for this task and worker');
      continue;
    }
    const outcome = label.attempt.outcome;
    const price = prices.get(forecast.workerId) ?? null;
    const tokens = knownTokens(outcome) ?? (price && price > 0 && outcome.costUsd > 0 ? Math.round(outcome.costUsd / price) : null);
    usable.push({ forecast, messages, attempt: label.attempt, source: label.source, p: forecast.pSuccess, y: outcome.resolved ? 1 : 0, tokens });
  }
  const targets = trainingTargets({
    rows: usable.map((row) => ({ taskId: row.forecast.taskId, workerId: row.forecast.workerId, p: row.p, y: row.y })),
    method,
    smoothing: options.smoothing,
    validationShare,
    random: new Random(seed),
  });
  const labelSources: Record<string, number> = {};
  const lines: string[] = [];
  let train = 0;
  let validation = 0;
  usable.forEach((row, i) => {
    const { split, target } = targets[i]!;
    const answer = (p: number) => JSON.stringify({ p_success: round(p), expected_tokens: row.tokens });
    const metadata = {
      task_id: row.forecast.taskId,
      worker_id: row.forecast.workerId,
      treatment: row.forecast.treatment,
      run_id: row.forecast.runId,
      split,
      label_source: row.source,
    };
    let line: unknown;
    if (format === 'sft') {
      line = { messages: [...row.messages, { role: 'assistant', content: answer(target) }], metadata };
    } else if (format === 'preference') {
      const pair = preferencePair({ stated: row.p, target, y: row.y });
      if (!pair) {
        skip('target equals the stated p (no preference)');
        return;
      }
      line = {
        prompt: row.messages,
        chosen: [{ role: 'assistant', content: answer(pair.chosen) }],
        rejected: [{ role: 'assistant', content: answer(pair.rejected) }],
        metadata,
      };
    } else {
      line = {
        ...metadata,
        request: row.forecast.request,
        reply: row.forecast.rawText,
        stated: { p_success: row.p, expected_tokens: row.forecast.expectedTokens },
        outcome: { resolved: row.y === 1, tokens: row.tokens, cost_usd: row.attempt.outcome.costUsd },
        target: { p_success: round(target), expected_tokens: row.tokens },
      };
    }
    labelSources[row.source] = (labelSources[row.source] ?? 0) + 1;
    if (split === 'train') train++;
    else validation++;
    lines.push(JSON.stringify(line));
  });
  const note =
    forecasts.length === 0
      ? options.runId === undefined
        ? 'the store has no forecasts or bids'
        : `run ${options.runId} has no forecasts or bids (a market run collects bids only for arms that use them)`
      : null;
  const header = {
    marketbench_training_export: {
      version: 1,
      format,
      store: basename(options.storeFile),
      run: options.runId ?? null,
      seed,
      validation_share: validationShare,
      split: 'by task, seeded; no task on both sides',
      target: `p_success: ${targetRule(method, options.smoothing)}; expected_tokens: the attempt's actual tokens (or cost ÷ blended price)`,
      label_sources: labelSources,
      records: lines.length,
      train,
      validation,
      skipped,
    },
  };
  const summary = { records: lines.length, train, validation, skipped, labelSources, note };
  if (lines.length === 0) return { ...summary, written: false };
  const temporary = `${options.outFile}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, `${[JSON.stringify(header), ...lines].join('\n')}\n`);
    renameSync(temporary, options.outFile);
  } finally {
    rmSync(temporary, { force: true });
  }
  return { ...summary, written: true };
}

/** The header's description of how the targets' p was made. */
function targetRule(method: CalibrationMethod, smoothing: number | undefined): string {
  if (smoothing === undefined) {
    return `the worker's own ${method} calibration map applied to its stated p, cross-fitted by task within the training tasks (validation: fitted on all training tasks)`;
  }
  return `the worker's empirical outcome rate (resolved + ${smoothing}) / (rows + 2·${smoothing}) over its rows on training tasks, leaving out the row's own task (validation: all its training rows)`;
}

function round(p: number): number {
  return Math.round(p * 1e4) / 1e4;
}
