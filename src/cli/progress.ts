// The CLI's one progress drawer.
// Fed by observers: run events of paid jobs (`progressObserver`),
// step events of the demo (`stepProgress`) and unit counts of sweeps (`countProgress`); a live bar
// on a terminal, plain lines otherwise.

import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';
import type { DemoObserver } from '../app/demo-observer.js';
import type { HarnessEvent, RunObserver } from '../runtime/jobs/observer.js';
import type { CliIo } from './command-spec.js';

/** Where progress is drawn. */
export interface ProgressOptions {
  /** Writes text (the CLI passes `io.err`, so stdout stays clean for results). */
  write: (text: string) => void;
  /** Draw a live bar (cli-progress) instead of plain lines. */
  isTty: boolean;
  /** Terminal width for the bar. */
  columns?: number;
  /** Plain mode: at most one progress line per this many ms (failures always print). Default 5,000. */
  intervalMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Counters the display shows. */
interface Counters {
  total: number;
  completed: number;
  failed: number;
  invalid: number;
  spentUsd: number;
  budgetUsd: number;
  startedAt: number;
}

/**
 * The one bar every progress display draws: cli-progress writing through `write` (so output stays
 * injectable and off stdout).
 */
function liveBar(write: (text: string) => void, format: string, options: { columns: number; clearOnComplete: boolean; fps?: number }): cliProgress.SingleBar {
  const stream = {
    isTTY: true,
    columns: options.columns,
    write: (text: string) => {
      write(text);
      return true;
    },
    on: () => stream,
    removeListener: () => stream,
  };
  // Loaded only for a live bar: plain-line progress (pipes, CI, benchmarks) never needs it.
  const bars = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
  return new bars.SingleBar(
    {
      format,
      stream: stream as unknown as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: options.clearOnComplete,
      ...(options.fps !== undefined && { fps: options.fps }),
    },
    bars.Presets.shades_classic,
  );
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function money(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/**
 * A run observer that shows done/total, spend (against the budget), errors, invalid replies and
 * the ETA: a live cli-progress bar on a terminal, plain lines otherwise (a line per failure and
 * at most one progress line per `intervalMs`, plus start and end lines).
 */
export function progressObserver(options: ProgressOptions): RunObserver {
  const now = options.now ?? Date.now;
  const counters: Counters = { total: 0, completed: 0, failed: 0, invalid: 0, spentUsd: 0, budgetUsd: Infinity, startedAt: now() };
  let lastLine = 0;
  let bar: cliProgress.SingleBar | undefined;
  const eta = () => {
    const elapsed = now() - counters.startedAt;
    return counters.completed === 0 ? Number.NaN : (elapsed / counters.completed) * (counters.total - counters.completed);
  };
  const spendText = () => (Number.isFinite(counters.budgetUsd) ? `${money(counters.spentUsd)} of ${money(counters.budgetUsd)}` : money(counters.spentUsd));
  const line = () =>
    `[${counters.completed}/${counters.total}] spend ${spendText()}  errors ${counters.failed}  invalid ${counters.invalid}  eta ${formatDuration(eta())}\n`;
  const payload = () => ({ spend: spendText(), errors: counters.failed, invalid: counters.invalid, etaText: formatDuration(eta()) });

  const onEvent = (event: HarnessEvent) => {
    switch (event.type) {
      case 'run-start': {
        counters.total = event.total - event.skipped;
        counters.budgetUsd = event.budgetUsd;
        counters.spentUsd = event.priorSpendUsd;
        counters.startedAt = now();
        const budget = Number.isFinite(event.budgetUsd) ? `, budget ${money(event.budgetUsd)} (${money(event.priorSpendUsd)} spent before)` : '';
        options.write(`run ${event.runId}: ${counters.total} calls to make, ${event.skipped} done earlier${budget}\n`);
        if (options.isTty) {
          bar = liveBar(options.write, '{bar} {value}/{total} | spend {spend} | errors {errors} | invalid {invalid} | ETA {etaText}', {
            columns: options.columns ?? 100,
            clearOnComplete: false,
            fps: 5,
          });
          bar.start(counters.total, 0, payload());
        }
        return;
      }
      case 'job-start':
        return;
      case 'job-end': {
        counters.completed++;
        counters.spentUsd += event.spentUsd;
        if (event.status === 'failed') counters.failed++;
        else if (event.note?.startsWith('invalid')) counters.invalid++;
        if (bar) {
          bar.update(counters.completed, payload());
          return;
        }
        if (event.status === 'failed') options.write(`failed ${event.label}: ${event.error ?? 'unknown error'}\n`);
        if (now() - lastLine >= (options.intervalMs ?? 5000) || counters.completed === counters.total) {
          lastLine = now();
          options.write(line());
        }
        return;
      }
      case 'run-end': {
        if (bar) {
          bar.update(counters.completed, payload());
          bar.stop();
          bar = undefined;
        }
        const s = event.summary;
        const why = event.stopReason === 'budget' ? ' (stopped: the next call would not fit in the budget)' : event.stopReason === 'signal' ? ' (stopped by signal)' : '';
        options.write(
          `run ${event.runId} ${event.status}${why}: ${s.done} done, ${s.failed} failed, ${s.notStarted} not started, ${s.skipped} done earlier; ` +
            `spent ${money(s.sessionSpendUsd)} this session, ${money(s.totalSpendUsd)} in all\n`,
        );
        return;
      }
    }
  };
  return { onEvent };
}

/**
 * Progress for step events: a bar on a terminal, plain lines (`[1/3] label`, then
 * `[1/3] step done in 0.4 s`) otherwise, so logs stay readable.
 */
export function stepProgress(io: CliIo): DemoObserver & { stop: () => void } {
  if (!io.isTty) {
    return {
      onEvent: (event) => {
        if (event.type === 'step-start') io.err(`[${event.index}/${event.total}] ${event.label}\n`);
        else io.err(`[${event.index}/${event.total}] ${event.step} done in ${(event.elapsedMs / 1000).toFixed(1)} s\n`);
      },
      stop: () => {},
    };
  }
  const bar = liveBar(io.err, '{bar} {value}/{total} {label}', { columns: 100, clearOnComplete: true });
  let started = false;
  return {
    onEvent: (event) => {
      if (!started) {
        bar.start(event.total, 0, { label: '' });
        started = true;
      }
      if (event.type === 'step-start') bar.update(event.index - 1, { label: event.label });
      else bar.update(event.index, { label: `${event.step} done` });
      bar.render();
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * Progress for a count of units: a bar on a terminal; otherwise a line each time `every` units
 * finish (and at the end), e.g. `sweep 22/55`.
 */
export function countProgress(io: CliIo, options: { label: string; every: number }): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  if (!io.isTty) {
    return {
      update: (done, total) => {
        if (done % options.every === 0 || done === total) io.err(`${options.label} ${done}/${total}\n`);
      },
      stop: () => {},
    };
  }
  const bar = liveBar(io.err, `${options.label} {bar} {value}/{total}`, { columns: 100, clearOnComplete: true });
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
      bar.render();
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
