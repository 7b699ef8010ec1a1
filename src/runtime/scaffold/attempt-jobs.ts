import type { Task } from '../../core/task.js';
import type { JobSpec } from '../jobs/run-jobs.js';
import { reservationFor } from '../providers/call-model.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import { jobKey } from '../store/job-key.js';
import type { Suite } from '../suites/suite.js';
import type { AttemptPayload } from './attempt-job.js';
import { BASH_AGENT_DEFAULT_LIMITS } from './bash-agent.js';
import { bashAgentInstancePrompt, bashAgentSystemPrompt } from './prompts.js';
import { firstCallReserveUsd } from './provider-agent-model.js';
import type { AttemptWorker } from './workers-file.js';

export type { AttemptPayload } from './attempt-job.js';

/** Default output cap of agent model calls. */
export const DEFAULT_AGENT_MAX_OUTPUT_TOKENS = 8192;

/** Default USD an external agent's attempt reserves (its declared cap). */
export const DEFAULT_EXTERNAL_RESERVE_USD = 1;

/**
 * Pessimistic USD of an attempt's first model call, reserved before the job starts: the bash
 * agent's first conversation is known exactly; one-shot's is bounded by its context cap; an
 * external agent reserves its declared per-attempt cap. 0 for unpriced models.
 */
export function attemptReserveUsd(input: { worker: AttemptWorker; model: ResolvedModel | undefined; task: Task; suite: Suite }): number {
  const { worker, model, task, suite } = input;
  if (worker.scaffold === 'external') return worker.options.maxCostUsd ?? DEFAULT_EXTERNAL_RESERVE_USD;
  if (!model?.pricing) return 0;
  const maxOutputTokens = worker.options.maxOutputTokens ?? DEFAULT_AGENT_MAX_OUTPUT_TOKENS;
  const instructions = suite.instructions(task);
  if (worker.scaffold === 'one-shot') {
    const context = 'x'.repeat((worker.options.maxContextChars ?? 60_000) + 1_000);
    return reservationFor({ model, system: 'x'.repeat(400), prompt: `${task.statement}\n${instructions}\n${context}`, maxOutputTokens });
  }
  const workdir = suite.backend === 'docker' ? '/testbed' : '/workspace';
  return firstCallReserveUsd({
    model,
    maxOutputTokens,
    messages: [
      { role: 'system', content: bashAgentSystemPrompt() },
      { role: 'user', content: bashAgentInstancePrompt({ statement: task.statement, instructions, workdir, maxSteps: worker.options.maxSteps ?? BASH_AGENT_DEFAULT_LIMITS.maxSteps }) },
    ],
  });
}

/** One job per (task, worker), keyed by run, task, worker, kind and repeat. */
export function planAttempts(input: {
  runId: string;
  tasks: readonly Task[];
  workers: readonly AttemptWorker[];
  models: ReadonlyMap<string, ResolvedModel>;
  suite: Suite;
}): JobSpec<AttemptPayload>[] {
  const jobs: JobSpec<AttemptPayload>[] = [];
  for (const task of input.tasks) {
    for (const worker of input.workers) {
      const payload: AttemptPayload = { runId: input.runId, taskId: task.id, workerId: worker.id, repeat: 0 };
      jobs.push({
        key: jobKey({ run: input.runId, task: task.id, worker: worker.id, kind: 'attempt', repeat: 0 }),
        kind: 'attempt',
        payload,
        reserveUsd: attemptReserveUsd({ worker, model: input.models.get(worker.id), task, suite: input.suite }),
        label: `${worker.id} ${task.id}`,
      });
    }
  }
  return jobs;
}
