import { createHash } from 'node:crypto';

/**
 * A run id that depends only on what the run asks (tasks, models, treatments, repeats, prompt
 * version, call parameters), so running the same command again resumes the same run:
 * `elicit-<first 12 hex of sha256>`.
 */
export function deterministicRunId(prefix: string, inputs: Record<string, unknown>): string {
  const text = JSON.stringify(Object.keys(inputs).sort().map((key) => [key, inputs[key]]));
  return `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}
