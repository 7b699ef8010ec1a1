import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentUsage, ChatMessage } from './agent-model.js';

/** Version of the trajectory record format. */
export const TRAJECTORY_FORMAT = 'marketbench.trajectory/1';

/** One model call and what followed it. */
export interface TrajectoryStep {
  /** 1-based step number (one model call per step). */
  index: number;
  /** The reply text. */
  reply: string;
  /** The command parsed from the reply, when there was exactly one. */
  command: string | null;
  /** The format error, when there was no single command. */
  formatError: string | null;
  /** Exit code of the command (null when killed or not run). */
  exitCode: number | null;
  /** Whether the command hit its time limit. */
  timedOut: boolean;
  /** The observation sent back to the model (null when the step submitted or failed). */
  observation: string | null;
  /** Tokens of the call. */
  usage: AgentUsage;
  /** USD of the call (what the original call cost, when replayed from the cache). */
  costUsd: number;
  /** True when the reply was replayed from the response cache (a resumed attempt): not asked or paid again. */
  cached?: boolean;
  /** Milliseconds spent in the model call. */
  modelMs: number;
  /** Milliseconds spent running the command. */
  execMs: number;
}

/** The self-describing record of one attempt, saved after every step. */
export interface Trajectory {
  /** Format tag. */
  format: typeof TRAJECTORY_FORMAT;
  /** `bash-agent`, `one-shot`, `external`. */
  scaffold: string;
  /** Prompt version of the scaffold. */
  promptVersion: string;
  /** The task. */
  taskId: string;
  /** The full conversation so far. */
  messages: ChatMessage[];
  /** Steps so far. */
  steps: TrajectoryStep[];
  /** Set when the attempt ended: `submitted`, `step-limit`, `cost-limit`, `time-limit`, `budget`, `model-error`, … */
  exitReason: string | null;
  /** The final diff (set at the end). */
  patch: string | null;
  /** Totals so far. */
  totals: {
    steps: number;
    formatErrors: number;
    usage: AgentUsage;
    /** USD the attempt's calls cost (replayed steps included). */
    costUsd: number;
    /** USD charged in this session (replayed steps cost nothing again); absent in older records. */
    spentUsd?: number;
    wallTimeMs: number;
  };
  /** Anything scaffold-specific (external command output, apply log, …). */
  extra: Record<string, unknown>;
}

/** Receives the trajectory after every step and at the end. */
export type TrajectorySink = (trajectory: Trajectory) => void | Promise<void>;

/** A sink that rewrites a JSON file atomically (write then rename), so a crash never leaves half a file. */
export function fileTrajectorySink(path: string): TrajectorySink {
  return (trajectory) => {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(trajectory, null, 1)}\n`);
    renameSync(temporary, path);
  };
}
