import cliProgress from 'cli-progress';
import type { HarnessEvent, RunObserver } from '../runtime/jobs/observer.js';

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
          const stream = {
            isTTY: true,
            columns: options.columns ?? 100,
            write: (text: string) => {
              options.write(text);
              return true;
            },
            on: () => stream,
            removeListener: () => stream,
          };
          bar = new cliProgress.SingleBar(
            {
              format: '{bar} {value}/{total} | spend {spend} | errors {errors} | invalid {invalid} | ETA {etaText}',
              stream: stream as unknown as NodeJS.WritableStream,
              hideCursor: true,
              clearOnComplete: false,
              fps: 5,
            },
            cliProgress.Presets.shades_classic,
          );
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
