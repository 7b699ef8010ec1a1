import type { Command } from 'commander';
import { elicit } from '../../app/elicit.js';
import { InvalidInputError } from '../../core/errors.js';
import { type Treatment, TreatmentSchema } from '../../core/forecast.js';
import type { ElicitResult } from '../../runtime/elicit/index.js';
import { environmentWithDotEnv } from '../../runtime/providers/dotenv.js';
import { mockNotice } from '../../runtime/providers/mock/mock-notice.js';
import { failWhenAllFailed } from '../all-failed.js';
import type { CliIo, RegisterCommand } from '../command-spec.js';
import { exitWhenInterrupted } from '../interrupted.js';
import { parseNumberOption } from '../options.js';
import { parsePlanBudgets } from '../plan-budgets-option.js';
import { progressObserver } from '../progress.js';
import { queueLossesLine } from '../queue-losses.js';

/** Collects a repeatable file option. */
function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Options of `marketbench elicit` as commander parses them. */
interface ElicitCliOptions {
  format: string;
  recalibrate: string[];
  tasks: string;
  models: string;
  treatment: string;
  repeats: string;
  concurrency: string;
  budgetUsd?: string;
  db: string;
  baseUrl?: string;
  limit?: string;
  run?: string;
  pricing?: string;
  dryRun?: boolean;
  suite?: string;
  cardHistory?: string;
  cardPricing?: string;
  bountyUsd: string;
  failurePenaltyUsd: string;
  planBudgets?: string;
  temperature: string;
  maxOutputTokens: string;
  structured: boolean;
  cache: boolean;
  maxRetries: string;
  timeoutMs: string;
  providerConcurrency?: string;
  rpm?: string;
  queue?: string;
}

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;

function treatments(value: string): Treatment[] {
  return value.split(',').map((name) => {
    const parsed = TreatmentSchema.safeParse(name.trim());
    if (!parsed.success) throw new InvalidInputError(`--treatment '${name}' must be direct, card, bid or plans (comma-separated for several)`);
    return parsed.data;
  });
}

function money(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/** Prints a dry run's plan: calls and their cost bound per model. */
function printPlan(io: CliIo, result: ElicitResult): void {
  io.out(`run ${result.runId} (pricing ${result.pricingVersion})${result.skippedDone > 0 ? `: ${result.skippedDone} calls already done` : ''}\n`);
  const width = Math.max(5, ...result.plan.map((row) => row.model.length));
  io.out(`${'model'.padEnd(width)}  ${'calls'.padStart(7)}  ${'upper bound'.padStart(12)}\n`);
  for (const row of result.plan) io.out(`${row.model.padEnd(width)}  ${String(row.calls).padStart(7)}  ${money(row.upperBoundUsd).padStart(12)}\n`);
  const calls = result.plan.reduce((sum, row) => sum + row.calls, 0);
  const bound = result.plan.reduce((sum, row) => sum + row.upperBoundUsd, 0);
  io.out(`${'total'.padEnd(width)}  ${String(calls).padStart(7)}  ${money(bound).padStart(12)}\n`);
  io.out('upper bound = input bytes (≥ tokens) × input price + output cap × output price per call, one try each; nothing was spent\n');
}

/** `marketbench elicit`: live Phase I forecasts from real models, resumable and under a hard budget. */
export const registerElicit: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('elicit')
    .description('ask models for P(success) and expected tokens on every task (resumable, budgeted, cached)')
    .requiredOption('--tasks <file>', 'SWE-bench JSON/JSONL (instance_id, problem_statement, …) or generic JSONL (id, statement, …)')
    .requiredOption('--models <refs>', 'comma-separated provider:model (openai, openai-chat, anthropic, google, openrouter, openai-compatible, ollama, vllm, …)')
    .option('--treatment <names>', 'direct, card, bid or plans (comma-separated for several)', 'direct')
    .option('--repeats <n>', 'forecasts per task, model and treatment', '1')
    .option('--concurrency <n>', 'calls in flight at once', '8')
    .option('--budget-usd <usd>', 'hard spending ceiling, counting calls in flight and earlier sessions of the run')
    .option('--db <file>', 'store file', 'marketbench.db')
    .option('--base-url <url>', 'base URL for every provider (a local server or proxy)')
    .option('--limit <n>', 'only the first N tasks')
    .option('--run <id>', 'run id (default: derived from the inputs, so the same command resumes)')
    .option('--pricing <file>', 'YAML/JSON prices overriding the built-in table')
    .option('--dry-run', 'print the planned calls per model and their cost bound; spend nothing')
    .option('--suite <name>', 'suite name for the tasks (default swebench / custom)')
    .option('--card-history <file>', "treatment card: phase-1 forecasts file (the paper's CSV or JSONL) instead of the store's other runs")
    .option('--card-pricing <file>', 'pricing CSV for --card-history')
    .option('--bounty-usd <usd>', 'treatment bid: upper end R of the reserve price', '1')
    .option('--failure-penalty-usd <usd>', 'treatment bid: failure penalty F', '2')
    .option('--plan-budgets <list>', 'treatment plans: the budgets offered, USD[:STEPS] comma-separated (default 0.1:3,0.5:5,2:20)')
    .option('--temperature <t>', 'sampling temperature', '0')
    .option('--max-output-tokens <n>', 'output cap per call', '1200')
    .option('--no-structured', 'do not request JSON structured output (the reply is still parsed tolerantly)')
    .option('--no-cache', 'do not use or fill the response cache')
    .option('--max-retries <n>', 'retries per call after the first try', '4')
    .option('--timeout-ms <ms>', 'timeout per try', '120000')
    .option('--provider-concurrency <n>', 'calls in flight per provider')
    .option('--rpm <n>', 'requests per minute per provider')
    .option('--format <format>', 'table or json (a summary object)', 'table')
    .addHelpText(
      'after',
      `
Examples:
  $ marketbench elicit --tasks tasks.jsonl --models mock:calibrated,mock:overconfident --db runs.db
  $ marketbench elicit --tasks tasks.jsonl --models openai:gpt-5.2,anthropic:claude-sonnet-4-5 --treatment direct,card --dry-run
  $ marketbench elicit --tasks tasks.jsonl --models mock:underconfident --treatment plans --plan-budgets 0.1:3,0.5:5,2:20 --format json`,
    )
    .option('--recalibrate <file>', "a worker's calibration map (from `recalibrate`): its recalibrated p is stored beside the raw p (repeat for several workers)", collectFiles, [])
    .option('--queue <url>', 'run the calls on `marketbench worker` processes through Redis (redis://[:PASSWORD@]HOST:PORT[/DB]); this process needs no key')
    .action(async (options: ElicitCliOptions) => {
      // The SDK prints its warnings (e.g. temperature dropped for reasoning models) with console.warn;
      // they would break the progress display, and callModel returns them with each result instead.
      (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
      if (options.format !== 'table' && options.format !== 'json') throw new InvalidInputError(`--format is '${options.format}'; expected table or json`);
      const modelRefs = options.models.split(',').map((model) => model.trim()).filter((model) => model !== '');
      const notice = mockNotice(modelRefs);
      const controller = new AbortController();
      const onSignal = () => {
        io.err('\nstopping: no new calls; calls in flight are cancelled and will be retried on the next run\n');
        controller.abort();
      };
      if (!options.dryRun) process.once('SIGINT', onSignal);
      try {
        const limits = options.providerConcurrency || options.rpm
          ? {
              default: {
                ...(options.providerConcurrency && { concurrency: parseNumberOption(options.providerConcurrency, '--provider-concurrency', positiveInteger, 'a positive integer') }),
                ...(options.rpm && { requestsPerMinute: parseNumberOption(options.rpm, '--rpm', (n) => n > 0, 'a positive number') }),
              },
            }
          : undefined;
        const result = await elicit({
          db: options.db,
          cwd: io.cwd,
          tasks: options.tasks,
          ...(options.suite !== undefined && { suite: options.suite }),
          models: modelRefs,
          treatments: treatments(options.treatment),
          repeats: parseNumberOption(options.repeats, '--repeats', positiveInteger, 'a positive integer'),
          concurrency: parseNumberOption(options.concurrency, '--concurrency', positiveInteger, 'a positive integer'),
          budgetUsd: options.budgetUsd === undefined ? undefined : parseNumberOption(options.budgetUsd, '--budget-usd', (n) => n >= 0, 'a non-negative number of USD'),
          limit: options.limit === undefined ? undefined : parseNumberOption(options.limit, '--limit', positiveInteger, 'a positive integer'),
          runId: options.run,
          dryRun: options.dryRun,
          env: environmentWithDotEnv({ cwd: io.cwd, env: io.env }),
          baseUrl: options.baseUrl,
          ...(options.pricing !== undefined && { pricingFile: options.pricing }),
          ...(options.cardHistory !== undefined && { cardHistoryFile: options.cardHistory }),
          ...(options.cardPricing !== undefined && { cardPricingFile: options.cardPricing }),
          bid: {
            bountyUsd: parseNumberOption(options.bountyUsd, '--bounty-usd', (n) => n > 0, 'a positive number'),
            failurePenaltyUsd: parseNumberOption(options.failurePenaltyUsd, '--failure-penalty-usd', (n) => n >= 0, 'a non-negative number'),
          },
          ...(options.planBudgets !== undefined && { planBudgets: parsePlanBudgets(options.planBudgets) }),
          temperature: parseNumberOption(options.temperature, '--temperature', (n) => n >= 0 && n <= 2, 'a number from 0 to 2'),
          maxOutputTokens: parseNumberOption(options.maxOutputTokens, '--max-output-tokens', positiveInteger, 'a positive integer'),
          structured: options.structured,
          cache: options.cache,
          retry: {
            maxRetries: parseNumberOption(options.maxRetries, '--max-retries', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
            timeoutMs: parseNumberOption(options.timeoutMs, '--timeout-ms', positiveInteger, 'a positive integer'),
          },
          providerLimits: limits,
          observer: options.dryRun ? undefined : progressObserver({ write: io.err, isTty: io.isTty }),
          signal: controller.signal,
          ...(options.queue !== undefined && { queue: options.queue }),
          recalibrate: options.recalibrate,
          onChecked: () => {
            if (notice) io.err(`${notice}\n`);
          },
        });
        for (const warning of result.warnings) io.err(`warning: ${warning}\n`);
        if (options.format === 'json') {
          const { runId, plan, skippedDone, warnings, pricingVersion, dryRun, summary, stopReason } = result;
          io.out(`${JSON.stringify({ runId, dryRun, plan, skippedDone, summary: summary ?? null, stopReason: stopReason ?? null, pricingVersion, warnings })}\n`);
          exitWhenInterrupted(controller.signal);
          if (summary) failWhenAllFailed({ firstError: result.firstError, runId, done: summary.done, failed: summary.failed, what: 'call', stopReason });
          return;
        }
        if (result.dryRun) {
          printPlan(io, result);
          return;
        }
        const summary = result.summary;
        if (!summary) return;
        io.out(
          `run ${result.runId}: ${summary.done} forecasts done, ${summary.failed} failed, ${summary.notStarted} not started, ${summary.skipped} done earlier; ` +
            `spent ${money(summary.sessionSpendUsd)} this session, ${money(summary.totalSpendUsd)} in all\n`,
        );
        const lost = queueLossesLine(result.queueLosses);
        if (lost) io.out(lost);
        if (result.stopReason === 'budget') {
          io.out(`stopped: the next call would not fit in the budget of ${money(summary.budgetUsd)}; raise --budget-usd and rerun to continue\n`);
        } else if (result.stopReason === 'signal') {
          io.out('stopped by signal; rerun the same command to resume\n');
        } else if (summary.failed > 0) {
          io.out(`${summary.failed} calls failed (stored as invalid forecasts); rerun the same command to retry them\n`);
        }
        for (const { workerId, count } of result.recalibrated) io.out(`recalibrated ${count} forecast(s) of ${workerId} (raw p kept)\n`);
        exitWhenInterrupted(controller.signal);
        failWhenAllFailed({ firstError: result.firstError, runId: result.runId, done: summary.done, failed: summary.failed, what: 'call', stopReason: result.stopReason });
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
};
