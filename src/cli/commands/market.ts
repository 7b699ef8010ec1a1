import { resolve } from 'node:path';
import type { Command } from 'commander';
import { market } from '../../app/market.js';
import { InvalidInputError } from '../../core/errors.js';
import { bountyUsd, type MarketSettingsInput } from '../../market/settings.js';
import { formatMarketReport } from '../../report/format-market.js';
import { loadMarketFile } from '../../runtime/market/market-file.js';
import { environmentWithDotEnv } from '../../runtime/providers/dotenv.js';
import { mockNotice } from '../../runtime/providers/mock/mock-notice.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { exitWhenInterrupted } from '../interrupted.js';
import { parseNumberOption } from '../options.js';
import { progressObserver } from '../progress.js';
import { queueLossesLine } from '../queue-losses.js';

/** Options of `marketbench market` as commander parses them. */
interface MarketCliOptions {
  tasks?: string;
  suite?: string;
  workers: string;
  arms?: string;
  maxAttempts?: string;
  budgetUsd?: string;
  db: string;
  concurrency: string;
  run?: string;
  baseUrl?: string;
  bounty?: string;
  creditsPerUsd?: string;
  routerModel?: string;
  routerHistory?: boolean;
  shareAttempts?: boolean;
  forceBids: boolean;
  bidTimeoutSeconds?: string;
  taskIds?: string;
  limit?: string;
  seed: string;
  pricing?: string;
  trajectories?: string;
  cache: boolean;
  format: string;
  maxRetries: string;
  timeoutMs: string;
  queue?: string;
  recalibrate: string[];
}

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;

/** `--bounty 90` or `90credits` (credits), `1.5usd` or `$1.5` (USD). */
export function parseBounty(value: string): { bounty: number; currency: 'credits' | 'usd' } {
  const text = value.trim().toLowerCase();
  const usd = /^\$\s*([0-9.]+)$|^([0-9.]+)\s*usd$|^usd:([0-9.]+)$/.exec(text);
  const credits = /^([0-9.]+)\s*(credits?|cr)?$/.exec(text);
  const amount = usd ? Number(usd[1] ?? usd[2] ?? usd[3]) : credits ? Number(credits[1]) : Number.NaN;
  if (!(amount > 0) || !Number.isFinite(amount)) {
    throw new InvalidInputError(`--bounty is '${value}'; expected a positive amount in credits (90, 90credits) or USD (1.5usd, $1.5)`);
  }
  return { bounty: amount, currency: usd ? 'usd' : 'credits' };
}

/** `marketbench market`: the live market against the central router, solo workers and other arms. */
export const registerMarket: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('market')
    .description('live market: workers bid, the operator clears, retries with exclusion; compared with a central LLM router, solo workers and other arms on the same tasks and budgets')
    .option('--tasks <file>', 'task file (SWE-bench instances, HumanEval/MBPP-style, custom JSONL) or folder of task folders')
    .option('--suite <name>', 'suite by name (builtin) or path; alternative to --tasks')
    .requiredOption('--workers <file>', 'workers file (YAML/JSON list) or market file (workers + router + market + arms)')
    .option('--arms <specs>', 'comma-separated arms: scoring, reputation, reserve, router, solo:<worker>, cascade, parallel, … (default: the market file\'s arms)')
    .option('--max-attempts <n>', 'most rounds per task (a worker that failed is excluded from later rounds; default 2)')
    .option('--budget-usd <usd>', 'hard ceiling for the whole run, split evenly over the arms; counts earlier sessions')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--concurrency <n>', '(task, arm) units in flight at once', '2')
    .option('--run <id>', 'run id (default: derived from the inputs, so the same command resumes)')
    .option('--base-url <url>', 'base URL for every provider (a local server or proxy)')
    .option('--bounty <amount>', 'bounty B: 90 or 90credits (credits, default 90), or 1.5usd / $1.5 (USD)')
    .option('--credits-per-usd <n>', 'credits per USD, to turn token costs into credits (default 10)')
    .option('--router-model <ref>', "the central router's model (overrides the market file's router.model)")
    .option('--router-history', "show the router each worker's record from the store's other runs")
    .option('--share-attempts', 'reuse one attempt per (task, worker) across arms: cheaper, the arms then differ only in allocation (default off, as in the paper)')
    .option('--no-force-bids', 'a worker without a valid bid in time gets no bid (default: the fallback bid a = 0.4·B, p = 0.5)')
    .option('--bid-timeout-seconds <s>', 'seconds a worker has to bid (default 120)')
    .option('--task-ids <ids>', 'only these task ids (comma-separated)')
    .option('--limit <n>', "only the first N tasks (default: the market file's limit, else all)")
    .option('--seed <n>', "seed of the mechanisms' random draws", '0')
    .option('--pricing <file>', 'YAML/JSON prices overriding the built-in table')
    .option('--trajectories <dir>', 'folder for trajectory files (default: trajectories/ beside the store)')
    .option('--no-cache', 'do not use or fill the response cache for bids, router calls and agent steps')
    .option('--format <format>', 'table, md or json', 'table')
    .option('--max-retries <n>', 'retries per model call after the first try', '4')
    .option('--timeout-ms <ms>', 'timeout per model-call try', '120000')
    .option('--queue <url>', 'run bids, router calls and attempts on `marketbench worker` processes through Redis (redis://[:PASSWORD@]HOST:PORT[/DB]); this process needs no key')
    .option('--recalibrate <file>', "a worker's calibration map (from `recalibrate`): its stated p is bid and scored through the map, the raw p kept (repeat for several workers)", (file: string, files: string[]) => [...files, file], [] as string[])
    .action(async (options: MarketCliOptions) => {
      (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
      const format = options.format;
      if (format !== 'table' && format !== 'md' && format !== 'json') throw new InvalidInputError(`--format is '${format}'; expected table, md or json`);
      if ((options.tasks === undefined) === (options.suite === undefined)) throw new InvalidInputError('give either --tasks FILE or --suite NAME');
      const suiteSpec = (options.tasks ?? options.suite) as string;
      const settings: MarketSettingsInput = {};
      if (options.bounty !== undefined) Object.assign(settings, parseBounty(options.bounty));
      if (options.creditsPerUsd !== undefined) settings.creditsPerUsd = parseNumberOption(options.creditsPerUsd, '--credits-per-usd', (n) => n > 0, 'a positive number');
      if (options.maxAttempts !== undefined) settings.maxAttempts = parseNumberOption(options.maxAttempts, '--max-attempts', positiveInteger, 'a positive integer');
      if (options.bidTimeoutSeconds !== undefined) settings.bidTimeoutSeconds = parseNumberOption(options.bidTimeoutSeconds, '--bid-timeout-seconds', (n) => n > 0, 'a positive number');
      if (!options.forceBids) settings.forceBids = false;
      const file = loadMarketFile(resolve(io.cwd, options.workers));
      const routerModel = options.routerModel ?? file.router?.model;
      const notice = mockNotice([...file.workers.filter((worker) => worker.scaffold !== 'external').map((worker) => worker.model), ...(routerModel ? [routerModel] : [])]);
      if (notice) io.err(`${notice}\n`);
      const controller = new AbortController();
      const onSignal = () => {
        io.err('\nstopping: no new tasks; calls and attempts in flight are cancelled and will be retried on the next run\n');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      try {
        const result = await market({
          db: options.db,
          suite: suiteSpec,
          workersFile: options.workers,
          ...(options.arms !== undefined && { arms: options.arms.split(',').map((arm) => arm.trim()).filter((arm) => arm !== '') }),
          settings,
          router: { ...(options.routerModel !== undefined && { model: options.routerModel }), ...(options.routerHistory && { withHistory: true }) },
          ...(options.taskIds && { taskIds: options.taskIds.split(',').map((id) => id.trim()).filter((id) => id !== '') }),
          ...(options.limit !== undefined && { limit: parseNumberOption(options.limit, '--limit', positiveInteger, 'a positive integer') }),
          ...(options.budgetUsd !== undefined && { budgetUsd: parseNumberOption(options.budgetUsd, '--budget-usd', (n) => n >= 0, 'a non-negative number of USD') }),
          concurrency: parseNumberOption(options.concurrency, '--concurrency', positiveInteger, 'a positive integer'),
          ...(options.run !== undefined && { runId: options.run }),
          seed: parseNumberOption(options.seed, '--seed', Number.isInteger, 'an integer'),
          shareAttempts: options.shareAttempts ?? false,
          cache: options.cache,
          cwd: io.cwd,
          env: environmentWithDotEnv({ cwd: io.cwd, env: io.env }),
          ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
          ...(options.pricing !== undefined && { pricingFile: options.pricing }),
          ...(options.trajectories !== undefined && { trajectoryDir: options.trajectories }),
          retry: {
            maxRetries: parseNumberOption(options.maxRetries, '--max-retries', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
            timeoutMs: parseNumberOption(options.timeoutMs, '--timeout-ms', positiveInteger, 'a positive integer'),
          },
          observer: progressObserver({ write: io.err, isTty: io.isTty }),
          onDeprecation: (line) => io.err(`${line}\n`),
          signal: controller.signal,
          recalibrate: options.recalibrate,
          ...(options.queue !== undefined && { queue: options.queue }),
        });
        const lost = queueLossesLine(result.queueLosses);
        if (lost) io.err(lost);
        for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
        for (const [workerId, n] of Object.entries(result.recalibrated)) io.err(`recalibrated ${n} bid p of ${workerId} (raw p kept)\n`);
        if (format === 'json') {
          io.out(
            `${JSON.stringify({
              runId: result.runId,
              settings: result.settings,
              arms: result.arms.map((arm) => ({ label: arm.label, spec: arm.spec, storedAs: arm.storedName })),
              comparison: result.comparison,
              stopped: result.stopped,
              failedUnits: result.failedUnits,
              sessionSpendUsd: result.sessionSpendUsd,
              totalSpendUsd: result.totalSpendUsd,
              budgetUsd: Number.isFinite(result.budgetUsd) ? result.budgetUsd : null,
              valueUsd: bountyUsd(result.settings),
            })}\n`,
          );
          exitWhenInterrupted(controller.signal);
          return;
        }
        io.out(
          formatMarketReport(
            {
              runId: result.runId,
              tasks: result.taskIds.length,
              stopped: result.stopped,
              failedUnits: result.failedUnits.length,
              sessionSpendUsd: result.sessionSpendUsd,
              totalSpendUsd: result.totalSpendUsd,
              budgetUsd: result.budgetUsd,
              valueUsd: bountyUsd(result.settings),
            },
            result.comparison,
          ),
        );
        exitWhenInterrupted(controller.signal);
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
};
