import type { JSONSchema7 } from 'ai';
import type { Task } from '../../core/task.js';
import { extractFields, taskLines } from '../elicit/index.js';

/** Version of the central router's prompt; recorded in the run config. */
export const ROUTER_PROMPT_VERSION = 'router-v1';

/** A worker as the central router sees it. */
export interface RouterRosterEntry {
  /** Worker id (what the router must name). */
  id: string;
  /** Model reference. */
  model: string;
  /** Scaffold kind. */
  scaffold: string;
  /** USD per million input tokens. */
  inputPerMillionUsd: number;
  /** USD per million output tokens. */
  outputPerMillionUsd: number;
  /** Its record in the store's other runs (only with `withHistory`; undefined when it has none). */
  record?: { attempts: number; resolved: number; meanCostUsd: number; meanTokens: number } | undefined;
}

/** The router's system prompt. */
export const ROUTER_SYSTEM_PROMPT =
  'You are the operator of a pool of AI software-engineering workers. For each task you assign exactly one ' +
  'worker: the one most likely to solve it, at a reasonable cost. Reply with strict JSON only: one object, no prose and no code fences.';

/**
 * The central router's prompt: the task (as forecasts show it), the roster (name, model, scaffold,
 * prices and, with history, each worker's record), and on a retry round the workers that already
 * failed the task and may not be named.
 */
export function buildRouterPrompt(input: { task: Task; roster: readonly RouterRosterEntry[]; excluded: readonly string[]; round: number }): { system: string; prompt: string } {
  const eligible = input.roster.filter((entry) => !input.excluded.includes(entry.id));
  const lines = ['Assign the task below to one of these workers.', '', 'Workers:'];
  for (const entry of input.roster) {
    const prices = `$${fmt(entry.inputPerMillionUsd)}/M input tokens, $${fmt(entry.outputPerMillionUsd)}/M output tokens`;
    const record = entry.record
      ? `; record on other tasks: ${entry.record.resolved} of ${entry.record.attempts} solved, on average $${fmt(entry.record.meanCostUsd)} and ${Math.round(entry.record.meanTokens)} tokens per attempt`
      : '';
    const failed = input.excluded.includes(entry.id) ? ' — ALREADY FAILED THIS TASK, cannot be chosen' : '';
    lines.push(`- ${entry.id}: model ${entry.model}, scaffold ${entry.scaffold}, ${prices}${record}${failed}`);
  }
  if (input.excluded.length > 0) {
    lines.push('', `This is attempt round ${input.round}: ${input.excluded.join(', ')} already tried this task and failed.`);
  }
  lines.push(
    '',
    'Reply with one JSON object:',
    `- "worker": the name of the worker you assign, exactly one of: ${eligible.map((entry) => entry.id).join(', ')}`,
    '- "reason": one short sentence',
    '',
    ...taskLines(input.task),
  );
  return { system: ROUTER_SYSTEM_PROMPT, prompt: lines.join('\n') };
}

/** The JSON schema of a router reply: the worker is one of the eligible names. */
export function routerJsonSchema(eligible: readonly string[]): JSONSchema7 {
  return {
    type: 'object',
    properties: {
      worker: { type: 'string', enum: [...eligible], description: 'the worker assigned' },
      reason: { type: 'string', description: 'one short sentence' },
    },
    required: ['worker', 'reason'],
    additionalProperties: false,
  };
}

/** A router reply read and checked. */
export interface ParsedRouterReply {
  /** The eligible worker named; null when the reply is invalid. */
  choice: string | null;
  /** What the reply named (as written), if anything. */
  named: string | null;
  /** The router's reason, if given. */
  reason: string | null;
  /** Why the reply is invalid; null when valid. */
  invalidReason: string | null;
}

const WORKER_KEYS = ['worker', 'worker_id', 'workerid', 'name', 'choice', 'assignee', 'assign'];

/**
 * Reads a router reply tolerantly (the JSON object, one in a code fence, or the first balanced
 * object in prose, as forecasts are read) and checks the named worker: it must be on the roster
 * (exactly, or ignoring case and surrounding space) and not among the excluded ones.
 */
export function parseRouterReply(input: { text: string; roster: readonly string[]; excluded: readonly string[] }): ParsedRouterReply {
  const fields = extractFields(input.text);
  const value = fields ? WORKER_KEYS.map((key) => fields[key]).find((candidate) => candidate !== undefined) : undefined;
  const reasonValue = fields?.reason ?? fields?.rationale;
  const reason = typeof reasonValue === 'string' && reasonValue.trim() !== '' ? reasonValue.trim() : null;
  if (value === undefined) return { choice: null, named: null, reason, invalidReason: 'no JSON object with a "worker" field in the reply' };
  if (typeof value !== 'string') return { choice: null, named: JSON.stringify(value), reason, invalidReason: `"worker" is not a string (${JSON.stringify(value)})` };
  const named = value.trim();
  const match = input.roster.find((id) => id === named) ?? input.roster.find((id) => id.toLowerCase() === named.toLowerCase());
  if (match === undefined) return { choice: null, named, reason, invalidReason: `unknown worker '${named}'` };
  if (input.excluded.includes(match)) return { choice: null, named, reason, invalidReason: `worker '${match}' already failed this task` };
  return { choice: match, named, reason, invalidReason: null };
}

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
