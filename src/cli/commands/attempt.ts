import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { attempt } from '../../app/attempt.js';
import { InvalidInputError } from '../../core/errors.js';
import { environmentWithDotEnv } from '../../runtime/providers/dotenv.js';
import { mockNotice } from '../../runtime/providers/mock/mock-notice.js';
import type { RunAttemptsResult } from '../../runtime/scaffold/run-attempts.js';
import {
  type AttemptWorker,
  loadWorkersFile,
  type ScaffoldKind,
  ScaffoldKindSchema,
  workersFromModels,
} from '../../runtime/scaffold/workers-file.js';
import { failWhenAllFailed } from '../all-failed.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { exitWhenInterrupted } from '../interrupted.js';
import { integerOption, parseNumberOption } from '../options.js';
import { progressObserver } from '../progress.js';
import { queueLossesLine } from '../queue-losses.js';

/** Options of `marketbench attempt` as commander parses them. */
interface AttemptCliOptions {
  format: string;
  maxRetries: string;
  suite: string;
  workers: string;
  maxSteps?: string;
  budgetUsd?: string;
  concurrency: string;
  db: string;
  scaffold?: string;
  limit?: string;
  tasks?: string;
  baseUrl?: string;
  run?: string;
  pricing?: string;
  trajectories?: string;
  predictionsOut?: string;
  mergeReport?: string;
  reportWorker?: string;
  imageNamespace?: string;
  queue?: string;
  cache: boolean;
}

function money(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** Workers from a YAML/JSON file, or from `m1,m2` model references. */
function workersOption(io: CliIo, value: string, scaffold: ScaffoldKind | undefined): AttemptWorker[] {
  const file = resolve(io.cwd, value);
  if (existsSync(file) || /\.(ya?ml|json)$/i.test(value)) {
    const workers = loadWorkersFile(file);
    return scaffold ? workers.map((worker) => ({ ...worker, scaffold })) : workers;
  }
  const models = value.split(',').map((model) => model.trim()).filter((model) => model !== '');
  return workersFromModels(models, { scaffold: scaffold ?? 'bash-agent', environment: 'local' });
}

/** Prints per-worker totals and, for small runs, every attempt. */
function printResult(io: CliIo, result: RunAttemptsResult): void {
  const { summary } = result;
  io.out(
    `run ${result.runId}: ${summary.done} attempts done, ${summary.failed} failed, ${summary.notStarted} not started, ${summary.skipped} done earlier; ` +
      `spent ${money(summary.sessionSpendUsd)} this session, ${money(summary.totalSpendUsd)} in all\n`,
  );
  const byWorker = new Map<string, RunAttemptsResult['attempts']>();
  for (const attempt of result.attempts) byWorker.set(attempt.workerId, [...(byWorker.get(attempt.workerId) ?? []), attempt]);
  const width = Math.max(6, ...result.attempts.map((attempt) => attempt.workerId.length));
  io.out(`${'worker'.padEnd(width)}  ${'solved'.padStart(9)}  ${'cost'.padStart(10)}  ${'tokens'.padStart(10)}  ${'cost/solved'.padStart(11)}\n`);
  for (const [worker, rows] of byWorker) {
    const solved = rows.filter((row) => row.resolved).length;
    const cost = rows.reduce((sum, row) => sum + row.costUsd, 0);
    const tokens = rows.reduce((sum, row) => sum + row.tokens, 0);
    io.out(
      `${worker.padEnd(width)}  ${`${solved}/${rows.length}`.padStart(9)}  ${money(cost).padStart(10)}  ${String(tokens).padStart(10)}  ${(solved > 0 ? money(cost / solved) : '-').padStart(11)}\n`,
    );
  }
  if (result.attempts.length <= 60) {
    for (const row of result.attempts) {
      io.out(`  ${row.resolved ? 'PASS' : 'fail'}  ${row.workerId}  ${row.taskId}  ${row.exitReason ?? ''}  ${money(row.costUsd)}  ${(row.wallTimeMs / 1000).toFixed(1)}s\n`);
    }
  }
  if (result.stopReason === 'budget') {
    io.out(`stopped: the next attempt would not fit in the budget of ${money(summary.budgetUsd)}; raise --budget-usd and rerun to continue\n`);
  } else if (result.stopReason === 'signal') {
    io.out('stopped by signal; rerun the same command to resume\n');
  } else if (summary.failed > 0) {
    io.out(`${summary.failed} attempts failed (see the job errors in the store); rerun the same command to retry them\n`);
  }
}

/** `marketbench attempt`: workers attempt a suite's tasks in the sandbox; hidden tests judge them. */
export const registerAttempt: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('attempt')
    .description('let workers attempt tasks in a sandboxed scaffold and judge them with real tests (resumable, budgeted)')
    .requiredOption('--suite <name|file>', 'builtin, a folder of task folders, or a task file (SWE-bench, HumanEval/MBPP-style, custom JSONL); prefix swebench:/code:/custom:/folder: to force a kind')
    .requiredOption('--workers <file|refs>', 'workers YAML/JSON file, or comma-separated provider:model')
    .option('--scaffold <kind>', 'bash-agent, one-shot or external (for --workers refs; overrides a file)')
    .option('--max-steps <n>', 'bash-agent step limit for every worker')
    .option('--budget-usd <usd>', 'hard spending ceiling, counting calls in flight and earlier sessions of the run')
    .option('--concurrency <n>', 'attempts in flight at once', '2')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--limit <n>', 'only the first N tasks')
    .option('--tasks <ids>', 'only these task ids (comma-separated)')
    .option('--base-url <url>', 'base URL for every provider (a local server or proxy)')
    .option('--run <id>', 'run id (default: derived from the inputs, so the same command resumes)')
    .option('--pricing <file>', 'YAML/JSON prices overriding the built-in table')
    .option('--trajectories <dir>', 'folder for per-step trajectory files (default: trajectories/ beside the store)')
    .option('--image-namespace <ns>', 'SWE-bench image namespace ("none" for locally built images)', 'swebench')
    .option('--predictions-out <file>', 'also write the run as SWE-bench predictions JSONL (instance_id, model_name_or_path, model_patch)')
    .option('--merge-report <file>', "merge the official SWE-bench harness's report into this run's attempts (needs --report-worker)")
    .option('--report-worker <id>', 'the worker the --merge-report report belongs to')
    .option('--max-retries <n>', 'retries per model call after the first try', '4')
    .option('--no-cache', "do not use or fill the response cache for the agents' calls (a rerun then pays again for the steps an interrupted attempt made)")
    .option('--format <format>', 'table or json (a summary object)', 'table')
    .option('--queue <url>', 'run the attempts on `marketbench worker` processes through Redis (redis://[:PASSWORD@]HOST:PORT[/DB]); this process needs no key')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench attempt --suite builtin --workers 'mock:calibrated?skill=0.7' --limit 3
  $ marketbench attempt --suite builtin --workers workers.yaml --budget-usd 5 --db runs.db
  $ marketbench attempt --suite builtin --workers anthropic:claude-sonnet-4-5 --tasks slugify-spaces --format json`,
    )
    .action(async (options: AttemptCliOptions) => {
      (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
      if (options.format !== 'table' && options.format !== 'json') throw new InvalidInputError(`--format is '${options.format}'; expected table or json`);
      let scaffold: ScaffoldKind | undefined;
      if (options.scaffold !== undefined) {
        const parsed = ScaffoldKindSchema.safeParse(options.scaffold);
        if (!parsed.success) throw new InvalidInputError(`--scaffold is '${options.scaffold}'; expected bash-agent, one-shot or external`);
        scaffold = parsed.data;
      }
      if (options.mergeReport && !options.reportWorker) throw new InvalidInputError('--merge-report needs --report-worker ID');
      let workers = workersOption(io, options.workers, scaffold);
      if (options.maxSteps !== undefined) {
        const maxSteps = integerOption('--max-steps', 1)(options.maxSteps);
        workers = workers.map((worker) => ({ ...worker, options: { ...worker.options, maxSteps } }));
      }
      const modelRefs = workers.filter((worker) => worker.scaffold !== 'external').map((worker) => worker.model);
      const notice = mockNotice(modelRefs);
      const budgetUsd =
        options.budgetUsd === undefined ? undefined : parseNumberOption(options.budgetUsd, '--budget-usd', (n) => n >= 0, 'a non-negative number of USD');
      const controller = new AbortController();
      const onSignal = () => {
        io.err('\nstopping: no new attempts; attempts in flight are cancelled and will be retried on the next run\n');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      try {
        const result = await attempt({
          db: options.db,
          cwd: io.cwd,
          suite: options.suite,
          imageNamespace: options.imageNamespace === 'none' ? null : options.imageNamespace,
          workers,
          taskIds: options.tasks?.split(',').map((id) => id.trim()).filter((id) => id !== ''),
          limit: options.limit === undefined ? undefined : integerOption('--limit', 1)(options.limit),
          concurrency: integerOption('--concurrency', 1)(options.concurrency),
          budgetUsd,
          runId: options.run,
          env: environmentWithDotEnv({ cwd: io.cwd, env: io.env }),
          baseUrl: options.baseUrl,
          ...(options.pricing !== undefined && { pricingFile: options.pricing }),
          trajectoryDir: options.trajectories ? resolve(io.cwd, options.trajectories) : undefined,
          retry: { maxRetries: integerOption('--max-retries', 0)(options.maxRetries) },
          ...(!options.cache && { cache: false }),
          observer: progressObserver({ write: io.err, isTty: io.isTty }),
          signal: controller.signal,
          ...(options.mergeReport && { mergeReport: { file: options.mergeReport, workerId: options.reportWorker as string } }),
          ...(options.predictionsOut && { predictionsOut: options.predictionsOut }),
          ...(options.queue !== undefined && { queue: options.queue }),
          onChecked: () => {
            if (notice) io.err(`${notice}\n`);
          },
        });
        for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
        const { merged } = result;
        if (merged) {
          io.out(`merged report: ${merged.resolved} resolved, ${merged.updated} verdicts changed${merged.missing.length > 0 ? `, ${merged.missing.length} report ids without an attempt` : ''}\n`);
        }
        if (options.format === 'json') {
          const { runId, summary, stopReason, attempts, warnings } = result;
          io.out(`${JSON.stringify({ runId, summary, stopReason: stopReason ?? null, attempts, warnings })}\n`);
        } else printResult(io, result);
        const lost = queueLossesLine(result.queueLosses);
        if (lost) io.out(lost);
        failWhenAllFailed({ firstError: result.firstError, runId: result.runId, done: result.summary.done, failed: result.summary.failed, what: 'attempt', stopReason: result.stopReason });
        if (result.predictionsWritten !== undefined) io.out(`wrote ${result.predictionsWritten} predictions to ${options.predictionsOut}\n`);
        exitWhenInterrupted(controller.signal);
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
};
