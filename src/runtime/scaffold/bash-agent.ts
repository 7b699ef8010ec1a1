import type { Task } from '../../core/task.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { type AgentModel, AgentModelError, addUsage, type ChatMessage, emptyUsage } from './agent-model.js';
import type { AgentRun } from './agent-run.js';
import { type AttemptCaps, BUDGET_EXHAUSTED, capReached } from './attempt-caps.js';
import { isSubmission, parseAction } from './parse-action.js';
import {
  BASH_AGENT_PROMPT_VERSION,
  bashAgentInstancePrompt,
  bashAgentSystemPrompt,
  formatErrorPrompt,
  observationPrompt,
} from './prompts.js';
import { TRAJECTORY_FORMAT, type Trajectory, type TrajectorySink } from './trajectory.js';

/** Limits of the bash agent; the defaults follow mini-swe-agent's SWE-bench settings loosely. */
export interface BashAgentLimits {
  /** Model calls allowed (format errors count). Default 50. */
  maxSteps?: number;
  /** USD allowed for the attempt; checked before each call. Default 3. */
  maxCostUsd?: number;
  /** Wall-clock milliseconds allowed for the attempt; checked before each call. Default 30 min. */
  maxWallMs?: number;
  /** Time limit of one command in milliseconds. Default 60 s. */
  commandTimeoutMs?: number;
  /** Characters of output shown per observation (head and tail). Default 10,000. */
  observationChars?: number;
}

/** The bash agent's limits when a worker sets none (one place: the queue reserves by the USD cap too). */
export const BASH_AGENT_DEFAULT_LIMITS: Required<BashAgentLimits> = {
  maxSteps: 50,
  maxCostUsd: 3,
  maxWallMs: 30 * 60_000,
  commandTimeoutMs: 60_000,
  observationChars: 10_000,
};

/** Options of `runBashAgent`. */
export interface BashAgentOptions {
  /** The model. */
  model: AgentModel;
  /** The sandbox holding the task's workspace (baseline recorded). */
  sandbox: Sandbox;
  /** The task (its statement is shown). */
  task: Task;
  /** Suite instructions (files to edit, how tests run). */
  instructions: string;
  /** Limits. */
  limits?: BashAgentLimits;
  /** The plan's caps on this attempt; reaching one ends it as `budget_exhausted`, judged on its diff so far. */
  caps?: AttemptCaps;
  /** Receives the trajectory after every step and at the end. */
  onStep?: TrajectorySink;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
}

/**
 * The bash agent loop (mini-swe-agent's design): query the model, run the one command in its reply
 * in the sandbox, send back the exit code and output, repeat, until the agent submits
 * (`echo MARKETBENCH_SUBMIT`) or a step, cost or time limit is reached. A reply without exactly one
 * command is a format error: it is counted, billed like any call, and answered with a reminder.
 * The patch is the workspace's git diff against its starting state.
 */
export async function runBashAgent(options: BashAgentOptions): Promise<AgentRun> {
  const now = options.now ?? (() => Date.now());
  const defaults = BASH_AGENT_DEFAULT_LIMITS;
  const limits = {
    maxSteps: options.limits?.maxSteps ?? defaults.maxSteps,
    maxCostUsd: options.limits?.maxCostUsd ?? defaults.maxCostUsd,
    maxWallMs: options.limits?.maxWallMs ?? defaults.maxWallMs,
    commandTimeoutMs: options.limits?.commandTimeoutMs ?? defaults.commandTimeoutMs,
    observationChars: options.limits?.observationChars ?? defaults.observationChars,
  };
  const started = now();
  const messages: ChatMessage[] = [
    { role: 'system', content: bashAgentSystemPrompt() },
    {
      role: 'user',
      content: bashAgentInstancePrompt({
        statement: options.task.statement,
        instructions: options.instructions,
        workdir: options.sandbox.workdir,
        maxSteps: Math.min(limits.maxSteps, options.caps?.maxSteps ?? Number.POSITIVE_INFINITY),
      }),
    },
  ];
  const trajectory: Trajectory = {
    format: TRAJECTORY_FORMAT,
    scaffold: 'bash-agent',
    promptVersion: BASH_AGENT_PROMPT_VERSION,
    taskId: options.task.id,
    messages,
    steps: [],
    exitReason: null,
    patch: null,
    totals: { steps: 0, formatErrors: 0, usage: emptyUsage(), costUsd: 0, spentUsd: 0, wallTimeMs: 0 },
    extra: { limits, ...(options.caps && { caps: options.caps }) },
  };
  const totals = trajectory.totals;
  const save = async () => {
    totals.wallTimeMs = now() - started;
    await options.onStep?.(trajectory);
  };
  let exitReason = '';
  let error: string | null = null;

  while (!exitReason) {
    const capHit = capReached(options.caps, { steps: totals.steps, costUsd: totals.costUsd, tokens: totals.usage.inputTokens + totals.usage.outputTokens });
    if (capHit) {
      exitReason = BUDGET_EXHAUSTED;
      trajectory.extra.capReached = capHit;
    } else if (totals.steps >= limits.maxSteps) exitReason = 'step-limit';
    else if (totals.costUsd >= limits.maxCostUsd) exitReason = 'cost-limit';
    else if (now() - started >= limits.maxWallMs) exitReason = 'time-limit';
    if (exitReason) break;

    const callStarted = now();
    let reply: Awaited<ReturnType<AgentModel['query']>>;
    try {
      reply = await options.model.query(messages);
    } catch (caught) {
      const failure = AgentModelError.isInstance(caught) ? caught : undefined;
      totals.costUsd += failure?.spentUsd ?? 0;
      totals.spentUsd = (totals.spentUsd ?? 0) + (failure?.spentUsd ?? 0);
      exitReason = failure?.reason === 'budget' ? 'budget' : failure?.reason === 'aborted' ? 'aborted' : 'model-error';
      error = caught instanceof Error ? caught.message : String(caught);
      break;
    }
    const modelMs = now() - callStarted;
    totals.steps += 1;
    // Limits and caps count what the work cost (replayed steps too), so a resumed attempt stops where an uninterrupted one would.
    totals.costUsd += reply.costUsd;
    totals.spentUsd = (totals.spentUsd ?? 0) + (reply.spentUsd ?? reply.costUsd);
    addUsage(totals.usage, reply.usage);
    messages.push({ role: 'assistant', content: reply.text });
    const step = {
      index: totals.steps,
      reply: reply.text,
      command: null as string | null,
      formatError: null as string | null,
      exitCode: null as number | null,
      timedOut: false,
      observation: null as string | null,
      usage: reply.usage,
      costUsd: reply.costUsd,
      ...(reply.cached && { cached: true }),
      modelMs,
      execMs: 0,
    };
    trajectory.steps.push(step);

    const action = parseAction(reply.text);
    if (!action.ok) {
      totals.formatErrors += 1;
      step.formatError = action.error;
      step.observation = formatErrorPrompt(action.error);
      messages.push({ role: 'user', content: step.observation });
      await save();
      continue;
    }
    step.command = action.command;
    const execStarted = now();
    const result = await options.sandbox.exec(action.command, { timeoutMs: limits.commandTimeoutMs });
    step.execMs = now() - execStarted;
    step.exitCode = result.exitCode;
    step.timedOut = result.timedOut;
    if (result.exitCode === 0 && isSubmission(result.stdout)) {
      exitReason = 'submitted';
      break;
    }
    step.observation = observationPrompt(result, limits.observationChars);
    messages.push({ role: 'user', content: step.observation });
    await save();
  }

  let patch = '';
  try {
    patch = await options.sandbox.diff();
  } catch (caught) {
    error ??= `could not collect the diff: ${caught instanceof Error ? caught.message : String(caught)}`;
  }
  trajectory.exitReason = exitReason;
  trajectory.patch = patch;
  if (error) trajectory.extra.error = error;
  await save();
  return {
    exitReason,
    patch,
    steps: totals.steps,
    formatErrors: totals.formatErrors,
    usage: { ...totals.usage },
    costUsd: totals.costUsd,
    spentUsd: totals.spentUsd ?? 0,
    wallTimeMs: totals.wallTimeMs,
    trajectory,
    error,
  };
}
