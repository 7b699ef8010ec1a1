import { z } from 'zod';
import type { Store } from '../../runtime/store/index.js';

/** Characters of one command output or judge log kept in the viewer (the store keeps them whole). */
export const VIEW_TEXT_LIMIT = 6000;

const StepSchema = z
  .object({
    index: z.number().optional(),
    reply: z.string().nullable().optional(),
    command: z.string().nullable().optional(),
    formatError: z.string().nullable().optional(),
    exitCode: z.number().nullable().optional(),
    timedOut: z.boolean().optional(),
    observation: z.string().nullable().optional(),
    costUsd: z.number().optional(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).partial().optional(),
  })
  .passthrough();

const TrajectorySchema = z
  .object({
    steps: z.array(StepSchema).default([]),
    patch: z.string().nullable().optional(),
    exitReason: z.string().nullable().optional(),
    evaluation: z
      .object({ resolved: z.boolean(), patchApplied: z.boolean(), detail: z.string(), log: z.string(), passed: z.array(z.string()), failed: z.array(z.string()) })
      .partial()
      .passthrough()
      .optional(),
  })
  .passthrough();

/** One agent step as the viewer shows it. */
export interface ViewStep {
  /** Step number (1-based). */
  index: number;
  /** The command run, or null for a reply without one. */
  command: string | null;
  /** The model's reply text (thought and command). */
  reply: string;
  /** What the command printed (shortened past `VIEW_TEXT_LIMIT`). */
  output: string;
  /** Exit code of the command. */
  exitCode: number | null;
  /** USD of the model call of this step. */
  costUsd: number | null;
  /** Tokens of the model call (input + output). */
  tokens: number | null;
}

/** One attempt as the viewer shows it. */
export interface ViewAttempt {
  /** Job key (the attempt's id). */
  key: string;
  /** Task id. */
  taskId: string;
  /** Worker id. */
  workerId: string;
  /** Round of the task it ran in. */
  round: number;
  /** Arms whose allocation used this attempt. */
  arms: string[];
  /** Whether the judge passed it. */
  resolved: boolean;
  /** Input plus output tokens. */
  tokens: number;
  /** USD. */
  costUsd: number;
  /** Wall time, ms. */
  wallTimeMs: number;
  /** Why the agent stopped. */
  exitReason: string | null;
  /** The agent's steps. */
  steps: ViewStep[];
  /** The diff it submitted. */
  diff: string;
  /** The judge's one-line verdict and its log. */
  judge: { detail: string; log: string; passed: string[]; failed: string[] } | null;
}

/** One clearing round of one arm on one task. */
export interface ViewRound {
  /** Arm (stored mechanism name). */
  arm: string;
  /** Round. */
  round: number;
  /** Workers assigned. */
  workerIds: string[];
  /** Payments. */
  payments: { workerId: string; amount: number; reason?: string | undefined }[];
  /** The allocation's stored detail: bids and score parts, the router's call, the attempts. */
  detail: Record<string, unknown>;
}

/** One run as the viewer shows it. */
export interface ViewRun {
  /** Run id. */
  id: string;
  /** Run kind. */
  kind: string;
  /** Created at (ISO). */
  createdAt: string;
  /** Status. */
  status: string;
  /** Workers that appear in the run. */
  workers: string[];
  /** Arms (allocation mechanisms) of the run. */
  arms: string[];
  /** Tasks of the run, with everything recorded about each. */
  tasks: {
    id: string;
    title: string;
    statement: string;
    forecasts: { workerId: string; treatment: string; repeat: number; p: number | null; tokens: number | null; ask: number | null; valid: boolean; invalidReason: string | null; rationale: string | null }[];
    rounds: ViewRound[];
    attempts: ViewAttempt[];
  }[];
}

/** Everything the run viewer page embeds. */
export interface ViewData {
  /** Format tag of this JSON. */
  format: 'marketbench.view/1';
  /** The runs. */
  runs: ViewRun[];
}

function clip(text: string): string {
  return text.length <= VIEW_TEXT_LIMIT ? text : `${text.slice(0, VIEW_TEXT_LIMIT)}\n[… ${text.length - VIEW_TEXT_LIMIT} more characters in the store]`;
}

function attemptView(input: { attempt: ReturnType<Store['getAttempts']>[number]; trajectory: unknown; arms: string[] }): ViewAttempt {
  const { attempt } = input;
  const parsed = TrajectorySchema.safeParse(input.trajectory ?? {});
  const trajectory = parsed.success ? parsed.data : { steps: [], patch: null, evaluation: undefined };
  const evaluation = trajectory.evaluation;
  return {
    key: attempt.jobKey,
    taskId: attempt.taskId,
    workerId: attempt.workerId,
    round: attempt.round,
    arms: input.arms,
    resolved: attempt.outcome.resolved,
    tokens: attempt.outcome.inputTokens + attempt.outcome.outputTokens,
    costUsd: attempt.outcome.costUsd,
    wallTimeMs: attempt.outcome.wallTimeMs,
    exitReason: attempt.outcome.exitReason,
    steps: trajectory.steps.map((step, index) => ({
      index: step.index ?? index + 1,
      command: step.command ?? null,
      reply: step.reply ?? '',
      output: clip(step.observation ?? step.formatError ?? ''),
      exitCode: step.exitCode ?? null,
      costUsd: step.costUsd ?? null,
      tokens: step.usage ? (step.usage.inputTokens ?? 0) + (step.usage.outputTokens ?? 0) : null,
    })),
    diff: clip(trajectory.patch ?? ''),
    judge: evaluation
      ? { detail: evaluation.detail ?? '', log: clip(evaluation.log ?? ''), passed: evaluation.passed ?? [], failed: evaluation.failed ?? [] }
      : null,
  };
}

/** Job keys of the attempts an allocation's detail names (`detail.attempts[].jobKey`). */
function attemptKeysOf(detail: Record<string, unknown>): string[] {
  const attempts = z.array(z.object({ jobKey: z.string() }).passthrough()).safeParse(detail.attempts);
  return attempts.success ? attempts.data.map((entry) => entry.jobKey) : [];
}

/** Reads one run from the store into the viewer's shape. */
export function viewRun(store: Store, runId: string): ViewRun | undefined {
  const run = store.getRun(runId);
  if (!run) return undefined;
  const forecasts = store.getForecasts({ runId });
  const allocations = store.getAllocations({ runId });
  const attempts = store.getAttempts({ runId });
  const trajectories = store.attemptTrajectories(runId);
  const armsOfAttempt = new Map<string, Set<string>>();
  for (const allocation of allocations) {
    for (const key of attemptKeysOf(allocation.detail)) {
      const arms = armsOfAttempt.get(key) ?? new Set<string>();
      arms.add(allocation.mechanism);
      armsOfAttempt.set(key, arms);
    }
  }
  const taskIds = [...new Set([...forecasts.map((f) => f.taskId), ...allocations.map((a) => a.taskId), ...attempts.map((a) => a.taskId)])];
  const configIds = z.array(z.string()).safeParse(run.config.taskIds);
  if (configIds.success) for (const id of configIds.data) if (!taskIds.includes(id)) taskIds.push(id);
  const tasks = new Map(store.getTasks(taskIds).map((task) => [task.id, task]));
  const workers = new Set<string>([...forecasts.map((f) => f.workerId), ...attempts.map((a) => a.workerId), ...allocations.flatMap((a) => a.workerIds)]);
  return {
    id: run.id,
    kind: run.kind,
    createdAt: run.createdAt,
    status: run.status,
    workers: [...workers].sort(),
    arms: [...new Set(allocations.map((a) => a.mechanism))].sort(),
    tasks: taskIds.map((id) => ({
      id,
      title: tasks.get(id)?.title ?? id,
      statement: tasks.get(id)?.statement ?? '',
      forecasts: forecasts
        .filter((f) => f.taskId === id)
        .map((f) => ({ workerId: f.workerId, treatment: f.treatment, repeat: f.repeat, p: f.pSuccess, tokens: f.expectedTokens, ask: f.ask, valid: f.valid, invalidReason: f.invalidReason, rationale: f.rationale })),
      rounds: allocations
        .filter((a) => a.taskId === id)
        .map((a) => ({ arm: a.mechanism, round: a.round, workerIds: a.workerIds, payments: a.payments, detail: a.detail }))
        .sort((a, b) => a.arm.localeCompare(b.arm) || a.round - b.round),
      attempts: attempts
        .filter((a) => a.taskId === id)
        .map((attempt) => attemptView({ attempt, trajectory: trajectories.get(attempt.jobKey), arms: [...(armsOfAttempt.get(attempt.jobKey) ?? [])].sort() })),
    })),
  };
}

/** The viewer's data for the given runs (default: every run in the store, oldest first). */
export function viewData(store: Store, runIds?: readonly string[]): ViewData {
  const ids = runIds ?? store.listRuns().map((run) => run.id);
  return { format: 'marketbench.view/1', runs: ids.map((id) => viewRun(store, id)).filter((run): run is ViewRun => run !== undefined) };
}
