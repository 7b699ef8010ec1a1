import { relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DEMO_DEFAULTS, runDemo } from '../../runtime/harness/demo.js';
import type { DemoObserver } from '../../runtime/harness/demo-observer.js';
import { mechanismTable } from '../../runtime/harness/demo-summary.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { formatOption, integerOption, numberOption } from './simulate.js';

/**
 * Progress for step events: a cli-progress bar on standard error when it is a terminal, plain
 * lines (`[1/3] label … done in 0.4 s`) otherwise, so logs stay readable.
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
  // cli-progress needs a stream; this one writes through io.err so output stays injectable.
  const stream = {
    write: (text: string) => {
      io.err(text);
      return true;
    },
    isTTY: true,
    columns: 100,
  };
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} {label}', stream: stream as unknown as NodeJS.WriteStream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
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

interface DemoFlags {
  out: string;
  seed: number;
  tasks: number;
  value: number;
  maxAttempts: number;
  resamples: number;
  format: 'table' | 'json';
}

/** `marketbench demo`: the whole pipeline on the built-in simulated population. */
export const registerDemo: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('demo')
    .description('simulate the paper population, replay every mechanism, write a store and summary.md (no keys, no network)')
    .option('--out <dir>', 'folder to write marketbench.db and summary.md into', 'marketbench-demo')
    .option('--seed <n>', 'random seed', integerOption('--seed', 0), DEMO_DEFAULTS.seed)
    .option('--tasks <n>', 'number of synthetic tasks', integerOption('--tasks', 1), DEMO_DEFAULTS.tasks)
    .option('--value <usd>', 'value of a solved task, USD (also the scoring auctions\' bounty)', numberOption('--value', 0), DEMO_DEFAULTS.value)
    .option('--max-attempts <n>', 'most attempts per task', integerOption('--max-attempts', 1), DEMO_DEFAULTS.maxAttempts)
    .option('--resamples <n>', 'bootstrap resamples per paired comparison', integerOption('--resamples', 0), DEMO_DEFAULTS.resamples)
    .option('--format <format>', 'table or json', formatOption, 'table')
    .action((flags: DemoFlags) => {
      const progress = stepProgress(io);
      let result: ReturnType<typeof runDemo>;
      try {
        result = runDemo({
          outDir: resolve(io.cwd, flags.out),
          seed: flags.seed,
          tasks: flags.tasks,
          value: flags.value,
          maxAttempts: flags.maxAttempts,
          resamples: flags.resamples,
          observer: progress,
        });
      } finally {
        progress.stop();
      }
      if (flags.format === 'json') {
        io.out(
          `${JSON.stringify({ dbPath: result.dbPath, summaryPath: result.summaryPath, simulateRunId: result.simulateRunId, replayRunId: result.replayRunId, aggregates: result.aggregates, settings: result.report.settings, mechanisms: Object.fromEntries(Object.entries(result.report.mechanisms).map(([name, { perTask: _perTask, ...rest }]) => [name, rest])), frontier: result.report.frontier }, null, 2)}\n`,
        );
        return;
      }
      const { settings } = result.report;
      io.out(
        `MarketBench demo: ${settings.tasks} simulated tasks × ${settings.workers} workers (paper preset, seed ${flags.seed}), V = $${settings.value}, up to ${settings.maxAttempts} attempts per task\n\n`,
      );
      io.out(`${mechanismTable(result.report)}\n\n`);
      const show = (path: string) => relative(io.cwd, path) || path;
      io.out(`store:   ${show(result.dbPath)}  (runs ${result.simulateRunId}, ${result.replayRunId})\nsummary: ${show(result.summaryPath)}\n`);
    });
};
