import { z } from 'zod';
import { costOf, type Pricing } from '../../core/pricing.js';
import type { Task } from '../../core/task.js';
import { makeRedactor } from '../providers/redact.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AgentRun } from './agent-run.js';
import { type AttemptCaps, BUDGET_EXHAUSTED, capPassed } from './attempt-caps.js';
import { truncateMiddle } from './prompts.js';
import { TRAJECTORY_FORMAT, type Trajectory, type TrajectorySink } from './trajectory.js';

/** Folder in the workspace for the contract files; removed before the diff is taken. */
export const EXTERNAL_DIR = '.marketbench';

/**
 * Usage an external agent reports, in `.marketbench/usage.json` or as the last stdout line
 * `{"marketbench_usage": {...}}`. Either token counts (priced with the worker's prices) or a
 * cost, or both (the reported cost wins).
 */
export const ExternalUsageSchema = z.object({
  /** Input tokens, cached included. */
  inputTokens: z.number().nonnegative().default(0),
  /** Output tokens. */
  outputTokens: z.number().nonnegative().default(0),
  /** Cached input tokens. */
  cachedInputTokens: z.number().nonnegative().default(0),
  /** USD the agent was charged, when it knows. */
  costUsd: z.number().nonnegative().optional(),
  /** Model calls the agent made. */
  steps: z.number().int().nonnegative().optional(),
});

/** Options of `runExternalAgent`. */
export interface ExternalAgentOptions {
  /** The sandbox with the task's workspace (baseline recorded). */
  sandbox: Sandbox;
  /** The task. */
  task: Task;
  /** Suite instructions. */
  instructions: string;
  /** Shell command that runs the agent in the workspace (see the contract in `runExternalAgent`). */
  command: string;
  /** Time limit of the whole run in milliseconds (default 30 min). */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Prices for reported tokens when the agent reports no cost. */
  pricing?: Pricing;
  /** Receives the trajectory at the end. */
  onStep?: TrajectorySink;
  /**
   * Values that must never be stored (the `passEnv` values the agent was given): replaced by
   * `[redacted]` in the trajectory, the patch, the output kept and the error.
   */
  secrets?: readonly string[];
  /** The plan's caps: given to the agent (`MARKETBENCH_MAX_STEPS`, `MARKETBENCH_BUDGET_USD`, `MARKETBENCH_BUDGET_TOKENS`) and checked on its report. */
  caps?: AttemptCaps;
  /** Clock in milliseconds. */
  now?: () => number;
}

/** The plan's caps as environment variables for the agent (none without caps). */
function capsEnv(caps: AttemptCaps | undefined): Record<string, string> {
  return {
    ...(caps?.maxSteps !== undefined && { MARKETBENCH_MAX_STEPS: String(caps.maxSteps) }),
    ...(caps?.budgetUsd !== undefined && { MARKETBENCH_BUDGET_USD: String(caps.budgetUsd) }),
    ...(caps?.budgetTokens !== undefined && { MARKETBENCH_BUDGET_TOKENS: String(caps.budgetTokens) }),
  };
}

/** The usage record in the last stdout line, if it is one. */
function usageFromStdout(stdout: string): unknown {
  const last = stdout.trimEnd().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as { marketbench_usage?: unknown };
    return parsed.marketbench_usage;
  } catch {
    return undefined;
  }
}

/**
 * Runs any command-line agent inside the sandbox. Contract: the task (statement + instructions) is
 * on stdin and in `.marketbench/task.md`, its id in `MARKETBENCH_TASK_ID`; the agent edits the
 * workspace in place and exits 0 when it is done; it reports usage in `.marketbench/usage.json`
 * (path in `MARKETBENCH_USAGE_FILE`) or as its last stdout line. The `.marketbench` folder is
 * removed before the diff. A non-zero exit is `agent-error`, a timeout `time-limit`. Under a
 * plan's caps, an agent whose report passes one (or that reports nothing, or no steps under a
 * step cap) is `budget_exhausted` and judged on an empty diff: it cannot be stopped at the cap,
 * so none of its diff is known to be work done within it, and overspending a cheap plan must not
 * buy a solve.
 */
export async function runExternalAgent(options: ExternalAgentOptions): Promise<AgentRun> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const prompt = `${options.task.statement.trim()}\n\n${options.instructions.trim()}\n`;
  await options.sandbox.writeFile(`${EXTERNAL_DIR}/task.md`, prompt);
  const result = await options.sandbox.exec(options.command, {
    stdin: prompt,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
    env: { ...options.env, MARKETBENCH_TASK_ID: options.task.id, MARKETBENCH_TASK_FILE: `${EXTERNAL_DIR}/task.md`, MARKETBENCH_USAGE_FILE: `${EXTERNAL_DIR}/usage.json`, ...capsEnv(options.caps) },
  });
  const fromFile = await options.sandbox.readFile(`${EXTERNAL_DIR}/usage.json`).then(
    (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return { invalid: text.slice(0, 200) };
      }
    },
    () => undefined,
  );
  const reported = fromFile ?? usageFromStdout(result.stdout);
  const parsedUsage = reported === undefined ? undefined : ExternalUsageSchema.safeParse(reported);
  const usage = parsedUsage?.success ? parsedUsage.data : undefined;
  await options.sandbox.exec(`rm -rf -- ${EXTERNAL_DIR}`);
  const tokens = { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0, cachedInputTokens: usage?.cachedInputTokens ?? 0 };
  const costUsd = usage?.costUsd ?? (options.pricing ? costOf(tokens, options.pricing) : 0);
  const passed = capPassed(options.caps, usage && { steps: usage.steps ?? Number.POSITIVE_INFINITY, costUsd, tokens: tokens.inputTokens + tokens.outputTokens });
  const patch = passed ? '' : await options.sandbox.diff().catch(() => '');
  const exitReason = passed ? BUDGET_EXHAUSTED : result.timedOut ? 'time-limit' : result.exitCode === 0 ? 'submitted' : 'agent-error';
  const wallTimeMs = now() - started;
  const trajectory: Trajectory = {
    format: TRAJECTORY_FORMAT,
    scaffold: 'external',
    promptVersion: 'external/1',
    taskId: options.task.id,
    messages: [{ role: 'user', content: prompt }],
    steps: [],
    exitReason,
    patch,
    totals: { steps: usage?.steps ?? 0, formatErrors: 0, usage: tokens, costUsd, wallTimeMs },
    extra: {
      command: options.command,
      exitCode: result.exitCode,
      stdout: truncateMiddle(result.stdout, 20_000).text,
      stderr: truncateMiddle(result.stderr, 20_000).text,
      usageReported: usage !== undefined,
      ...(options.caps && { caps: options.caps }),
      ...(passed && { capPassed: passed }),
      ...(parsedUsage && !parsedUsage.success && { usageError: parsedUsage.error.issues[0]?.message ?? 'invalid usage record' }),
    },
  };
  const redact = makeRedactor(options.secrets ?? []);
  const stored = redact(trajectory);
  await options.onStep?.(stored);
  return {
    exitReason,
    patch: stored.patch ?? '',
    steps: trajectory.totals.steps,
    formatErrors: 0,
    usage: tokens,
    costUsd,
    spentUsd: costUsd,
    wallTimeMs,
    trajectory: stored,
    error: exitReason === 'agent-error' ? `the agent exited ${result.exitCode}` : null,
  };
}
