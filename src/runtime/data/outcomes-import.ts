import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { parseModelRef, type Worker } from '../../core/worker.js';
import { lookupPricing } from '../providers/pricing.js';
import { PRICING_TABLE, type PricingTable } from '../providers/pricing-table.js';
import { jobKey } from '../store/job-key.js';
import type { Store } from '../store/store.js';
import { isBashOnlyLeaderboard } from './bash-only-file.js';
import { parseBashOnlyOutcomes } from './outcomes-bash-only.js';
import { parseOutcomesJsonl } from './outcomes-jsonl.js';
import { isSwebenchReport, parseSwebenchReport } from './outcomes-swebench-report.js';
import type { ImportedOutcome, ParsedOutcomes } from './outcomes-types.js';
import { readUtf8File } from './read-text.js';

/** Formats `outcomes import` reads. */
export type OutcomesFormat = 'swebench-report' | 'bash-only' | 'jsonl';

/** Guesses the format of an outcomes file from its content. */
export function detectOutcomesFormat(file: string): OutcomesFormat {
  const text = readUtf8File(file);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      // A JSON Lines file of one row parses as one document too; its row names a task.
      if (typeof (value as { task_id?: unknown } | null)?.task_id === 'string') return 'jsonl';
      if (isBashOnlyLeaderboard(value)) return 'bash-only';
      if (isSwebenchReport(value)) return 'swebench-report';
    } catch {
      // not one JSON document: JSON Lines
    }
  }
  return 'jsonl';
}

/** Model name without provider, `models/` prefix or date suffix, lower case: the key workers are matched on. */
function canonicalModel(id: string): string {
  const { model } = parseModelRef(id);
  return model
    .replace(/^models\//, '')
    .replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '')
    .toLowerCase();
}

/** Options of `importOutcomes`. */
export interface ImportOutcomesOptions {
  /** The store. */
  store: Store;
  /** The outcomes file. */
  file: string;
  /** Its format (default: detected). */
  format?: OutcomesFormat;
  /** Worker selection: required for `swebench-report` (its worker id); for `bash-only` names or `all`. */
  worker?: string;
  /** Store the outcomes under this worker id (one worker only). */
  as?: string;
  /** Tasks to upsert and, for a `resolved`-only report, the attempted tasks. */
  tasks?: readonly Task[];
  /** Run id (default `import-<hash of file and options>`, so importing again replaces). */
  runId?: string;
  /** Prices for new workers (default the built-in table). */
  pricingTable?: PricingTable;
}

/** What was imported. */
export interface ImportOutcomesResult {
  /** The import run. */
  runId: string;
  /** The format read. */
  format: OutcomesFormat;
  /** Attempts written. */
  attempts: number;
  /** Attempts per stored worker id. */
  perWorker: Record<string, { attempts: number; resolved: number }>;
  /** File worker id → stored worker id, where they differ. */
  mapped: Record<string, string>;
  /** Notes for the user. */
  warnings: string[];
}

/** An outcomes file read and checked, before anything is written: its format, outcomes and worker ids. */
export interface ReadOutcomes {
  /** The format read. */
  format: OutcomesFormat;
  /** The outcomes and the parser's notes. */
  parsed: ParsedOutcomes;
  /** Worker ids of the file's outcomes, in order of appearance. */
  fileWorkers: string[];
}

/** Reads and checks an outcomes file without a store (bad input fails here, before any file is created). */
export function readOutcomes(options: Omit<ImportOutcomesOptions, 'store'>): ReadOutcomes {
  const { file } = options;
  const format = options.format ?? detectOutcomesFormat(file);
  let parsed: ParsedOutcomes;
  switch (format) {
    case 'swebench-report': {
      const worker = options.as ?? options.worker;
      if (!worker) throw new InvalidInputError('a SWE-bench report has no worker names: pass --worker ID (or --as ID)', { file, field: 'worker' });
      parsed = parseSwebenchReport({ file, worker, taskIds: options.tasks?.map((task) => task.id) });
      break;
    }
    case 'bash-only': {
      if (!options.worker) throw new InvalidInputError("pass --worker NAME[,NAME…] or --worker all to pick leaderboard submissions", { file, field: 'worker' });
      const workers = options.worker === 'all' ? 'all' : options.worker.split(',').map((name) => name.trim());
      parsed = parseBashOnlyOutcomes({ file, workers });
      break;
    }
    case 'jsonl':
      parsed = parseOutcomesJsonl(file);
      if (options.worker) parsed.outcomes = parsed.outcomes.filter((outcome) => options.worker?.split(',').includes(outcome.workerId));
      break;
  }
  const fileWorkers = [...new Set(parsed.outcomes.map((outcome) => outcome.workerId))];
  if (options.as !== undefined && fileWorkers.length > 1) {
    throw new InvalidInputError(`--as names one worker, but the selection has ${fileWorkers.length} (${fileWorkers.slice(0, 5).join(', ')})`, { field: 'as' });
  }
  return { format, parsed, fileWorkers };
}

/**
 * Writes outcomes of an external evaluation (SWE-bench harness report, bash-only leaderboard,
 * generic JSONL) as attempts (round 1 unless given, run kind `import`), so `labeledForecasts`
 * joins them with elicited forecasts. A file worker matches an existing store worker whose model
 * is the same up to provider prefix and date suffix (`claude-opus-4-5-20251101` ↔
 * `anthropic:claude-opus-4-5`) unless `as` names the worker. New workers get prices from the
 * table, or zero with a warning. Unknown costs are stored as 0 (exit reason `imported`).
 */
export function importOutcomes(options: ImportOutcomesOptions & { read?: ReadOutcomes }): ImportOutcomesResult {
  const { store, file } = options;
  const { format, parsed, fileWorkers } = options.read ?? readOutcomes(options);
  const known = store.getWorkers();
  const mapped: Record<string, string> = {};
  const warnings = [...parsed.warnings];
  const target = (workerId: string): string => {
    if (options.as !== undefined) return options.as;
    if (known.some((worker) => worker.id === workerId)) return workerId;
    const matches = known.filter((worker) => canonicalModel(worker.id) === canonicalModel(workerId));
    if (matches.length === 1) return (matches[0] as Worker).id;
    if (matches.length > 1) warnings.push(`'${workerId}' matches several workers (${matches.map((w) => w.id).join(', ')}); kept as is`);
    return workerId;
  };
  for (const workerId of fileWorkers) {
    const to = target(workerId);
    if (to !== workerId) mapped[workerId] = to;
  }
  const runId =
    options.runId ??
    `import-${createHash('sha256')
      .update(JSON.stringify([createHash('sha256').update(readFileSync(file)).digest('hex'), format, options.worker ?? null, options.as ?? null]))
      .digest('hex')
      .slice(0, 12)}`;
  const table = options.pricingTable ?? PRICING_TABLE;
  const newWorkers: Worker[] = [];
  const knownIds = new Set(known.map((worker) => worker.id));
  for (const workerId of new Set(fileWorkers.map((id) => mapped[id] ?? id))) {
    if (knownIds.has(workerId)) continue;
    const price = lookupPricing(workerId, table);
    if (!price) warnings.push(`no price for new worker '${workerId}': stored with zero prices (token figures from cost will be unavailable)`);
    const ref = parseModelRef(workerId);
    newWorkers.push({
      id: workerId,
      model: workerId,
      provider: ref.provider,
      pricing: price?.pricing ?? { inputPerToken: 0, outputPerToken: 0 },
      scaffold: { kind: 'external', options: { source: basename(file) } },
      environment: { kind: 'none', options: {} },
    });
  }
  const perWorker: Record<string, { attempts: number; resolved: number }> = {};
  store.transaction(() => {
    if (options.tasks) store.upsertTasks(options.tasks);
    store.upsertWorkers(newWorkers);
    store.createRun({ kind: 'import', id: runId, config: { file: basename(file), format, worker: options.worker ?? null, as: options.as ?? null, mapped } });
    for (const outcome of parsed.outcomes) writeAttempt({ store, runId, outcome, workerId: mapped[outcome.workerId] ?? outcome.workerId, source: `${format}:${basename(file)}`, perWorker });
    store.setRunStatus(runId, 'done');
  });
  return { runId, format, attempts: parsed.outcomes.length, perWorker, mapped, warnings };
}

function writeAttempt(input: {
  store: Store;
  runId: string;
  outcome: ImportedOutcome;
  workerId: string;
  source: string;
  perWorker: Record<string, { attempts: number; resolved: number }>;
}): void {
  const { outcome, workerId } = input;
  input.store.putAttempt({
    runId: input.runId,
    jobKey: jobKey({ run: input.runId, task: outcome.taskId, worker: workerId, round: outcome.round }),
    attempt: {
      taskId: outcome.taskId,
      workerId,
      round: outcome.round,
      outcome: {
        resolved: outcome.resolved,
        inputTokens: outcome.inputTokens,
        outputTokens: outcome.outputTokens,
        cachedTokens: 0,
        costUsd: outcome.costUsd ?? 0,
        wallTimeMs: 0,
        trajectoryRef: input.source,
        exitReason: outcome.exitReason ?? (outcome.costUsd === null ? 'imported (cost unknown)' : 'imported'),
      },
    },
  });
  const entry = input.perWorker[workerId] ?? { attempts: 0, resolved: 0 };
  entry.attempts++;
  if (outcome.resolved) entry.resolved++;
  input.perWorker[workerId] = entry;
}
