import type { AgentUsage } from './agent-model.js';
import type { Trajectory } from './trajectory.js';

/** What any scaffold returns for one attempt. */
export interface AgentRun {
  /** Why it ended: `submitted`, `budget_exhausted` (the plan's caps), `step-limit`, `cost-limit`, `time-limit`, `budget`, `aborted`, `model-error`, `patch-failed`, `agent-error`. */
  exitReason: string;
  /** The workspace diff against the start ('' when nothing changed or the diff failed). */
  patch: string;
  /** Model calls made (format errors included). */
  steps: number;
  /** Replies without exactly one command. */
  formatErrors: number;
  /** Tokens over every call. */
  usage: AgentUsage;
  /** USD over every call (failed tries included): what the attempt cost, steps replayed from the cache included. */
  costUsd: number;
  /** USD charged in this session: `costUsd` less the steps replayed from the response cache. */
  spentUsd: number;
  /** Wall time of the attempt in milliseconds. */
  wallTimeMs: number;
  /** The full record. */
  trajectory: Trajectory;
  /** Set when the attempt ended because of a harness or model failure (not the agent's choice). */
  error: string | null;
}

/** Exit reasons that mean the attempt did not finish for reasons outside the agent (a rerun should retry it). */
export const INCOMPLETE_EXIT_REASONS = new Set(['budget', 'aborted']);
