import type { Task } from '../../core/task.js';
import { applyPatchScript } from '../sandbox/git-baseline.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { type AgentModel, AgentModelError, type ChatMessage, emptyUsage } from './agent-model.js';
import type { AgentRun } from './agent-run.js';
import { truncateMiddle } from './prompts.js';
import { TRAJECTORY_FORMAT, type Trajectory, type TrajectorySink } from './trajectory.js';

/** Version of the one-shot prompts. */
export const ONE_SHOT_PROMPT_VERSION = 'one-shot/1';

/** Options of `runOneShotPatch`. */
export interface OneShotOptions {
  /** The model. */
  model: AgentModel;
  /** The sandbox with the task's workspace (baseline recorded). */
  sandbox: Sandbox;
  /** The task. */
  task: Task;
  /** Suite instructions. */
  instructions: string;
  /** Characters of repository content put in the prompt (default 60,000). */
  maxContextChars?: number;
  /** Receives the trajectory at the end. */
  onStep?: TrajectorySink;
  /** Clock in milliseconds. */
  now?: () => number;
}

/** Lists the tracked text files with their content (each capped), inside the sandbox. */
const DUMP_FILES = [
  "git ls-files -z | while IFS= read -r -d '' f; do",
  '  if grep -Iq . -- "$f" 2>/dev/null || [ ! -s "$f" ]; then printf \'=== FILE: %s\\n\' "$f"; head -c 20000 -- "$f"; printf \'\\n\'; fi',
  'done',
].join('\n');

/** The diff in a reply: a ```diff/```patch block, else the text from its first diff header. */
export function extractDiff(text: string): string | undefined {
  const fenced = /```(?:diff|patch)[ \t]*\r?\n([\s\S]*?)```/.exec(text);
  if (fenced) return `${(fenced[1] as string).replace(/\s+$/, '')}\n`;
  const start = text.search(/^(diff --git |--- (a\/|\/dev\/null))/m);
  if (start === -1) return undefined;
  return `${text.slice(start).replace(/```[\s\S]*$/, '').replace(/\s+$/, '')}\n`;
}

/**
 * The paper's weak baseline: one model call sees the task and the repository's files and must
 * answer with a unified diff, applied with `git apply`. No shell, no test feedback.
 */
export async function runOneShotPatch(options: OneShotOptions): Promise<AgentRun> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const files = await options.sandbox.exec(DUMP_FILES, { maxOutputBytes: 4 * (options.maxContextChars ?? 60_000) });
  const context = truncateMiddle(files.stdout, options.maxContextChars ?? 60_000).text;
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content:
        'You fix software problems by writing a patch. Reply with a single unified diff (git format, paths prefixed a/ and b/, relative to the repository root) in one ```diff code block. You cannot run anything.',
    },
    {
      role: 'user',
      content: `<task>\n${options.task.statement.trim()}\n</task>\n\n<instructions>\n${options.instructions.trim()}\n</instructions>\n\n<repository>\n${context}</repository>\n\nAnswer with the patch as one \`\`\`diff block.`,
    },
  ];
  const trajectory: Trajectory = {
    format: TRAJECTORY_FORMAT,
    scaffold: 'one-shot',
    promptVersion: ONE_SHOT_PROMPT_VERSION,
    taskId: options.task.id,
    messages,
    steps: [],
    exitReason: null,
    patch: null,
    totals: { steps: 0, formatErrors: 0, usage: emptyUsage(), costUsd: 0, spentUsd: 0, wallTimeMs: 0 },
    extra: {},
  };
  let exitReason = 'submitted';
  let error: string | null = null;
  try {
    const callStarted = now();
    const reply = await options.model.query(messages);
    messages.push({ role: 'assistant', content: reply.text });
    trajectory.totals.steps = 1;
    trajectory.totals.usage = { ...reply.usage };
    trajectory.totals.costUsd = reply.costUsd;
    trajectory.totals.spentUsd = reply.spentUsd ?? reply.costUsd;
    const diff = extractDiff(reply.text);
    const step = {
      index: 1,
      reply: reply.text,
      command: null,
      formatError: diff ? null : 'no diff in the reply',
      exitCode: null as number | null,
      timedOut: false,
      observation: null as string | null,
      usage: reply.usage,
      costUsd: reply.costUsd,
      ...(reply.cached && { cached: true }),
      modelMs: now() - callStarted,
      execMs: 0,
    };
    trajectory.steps.push(step);
    if (!diff) {
      trajectory.totals.formatErrors = 1;
      exitReason = 'patch-failed';
    } else {
      const applied = await options.sandbox.exec(applyPatchScript(), { stdin: diff });
      step.exitCode = applied.exitCode;
      step.observation = `${applied.stdout}${applied.stderr}`;
      if (applied.exitCode !== 0) exitReason = 'patch-failed';
    }
  } catch (caught) {
    const failure = AgentModelError.isInstance(caught) ? caught : undefined;
    trajectory.totals.costUsd += failure?.spentUsd ?? 0;
    trajectory.totals.spentUsd = (trajectory.totals.spentUsd ?? 0) + (failure?.spentUsd ?? 0);
    exitReason = failure?.reason === 'budget' ? 'budget' : failure?.reason === 'aborted' ? 'aborted' : 'model-error';
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const patch = await options.sandbox.diff().catch(() => '');
  trajectory.exitReason = exitReason;
  trajectory.patch = patch;
  trajectory.totals.wallTimeMs = now() - started;
  if (error) trajectory.extra.error = error;
  await options.onStep?.(trajectory);
  const { totals } = trajectory;
  return { exitReason, patch, steps: totals.steps, formatErrors: totals.formatErrors, usage: { ...totals.usage }, costUsd: totals.costUsd, spentUsd: totals.spentUsd ?? 0, wallTimeMs: totals.wallTimeMs, trajectory, error };
}
