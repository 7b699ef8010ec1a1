import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { ImportedOutcome, ParsedOutcomes } from './outcomes-types.js';
import { readUtf8File } from './read-text.js';

const ResolvedSchema = z.union([
  z.boolean(),
  z.literal(0).transform(() => false),
  z.literal(1).transform(() => true),
  z.enum(['pass', 'fail', 'true', 'false', 'resolved', 'unresolved']).transform((value) => ['pass', 'true', 'resolved'].includes(value)),
]);

const count = z.number().int().nonnegative();

/** One line of a generic outcomes JSONL file. */
const OutcomeLineSchema = z.object({
  task_id: z.union([z.string().min(1), z.number()]),
  worker: z.string().min(1),
  resolved: ResolvedSchema,
  cost_usd: z.number().nonnegative().nullable().optional(),
  tokens: count.nullable().optional(),
  input_tokens: count.optional(),
  output_tokens: count.optional(),
  round: z.number().int().positive().optional(),
  exit_reason: z.string().nullable().optional(),
});

/**
 * Reads a generic outcomes JSONL: one object per line with `task_id`, `worker`, `resolved`
 * (boolean, 0/1, or pass/fail) and optional `cost_usd`, `tokens` (total, counted as output when
 * no split is given), `input_tokens`, `output_tokens`, `round`, `exit_reason`. Errors name the line and field.
 */
export function parseOutcomesJsonl(file: string): ParsedOutcomes {
  let text: string;
  try {
    text = readUtf8File(file);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`cannot read outcomes file: ${(error as Error).message}`, { file }, { cause: error });
  }
  const outcomes: ImportedOutcome[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new InvalidInputError(`not valid JSON: ${(error as Error).message}`, { file, line }, { cause: error });
    }
    const parsed = OutcomeLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`expected task_id, worker, resolved (+ cost_usd, tokens): ${issue?.message}`, {
        file,
        line,
        field: issue?.path.join('.') || undefined,
      });
    }
    const r = parsed.data;
    const split = r.input_tokens !== undefined || r.output_tokens !== undefined;
    outcomes.push({
      taskId: String(r.task_id),
      workerId: r.worker,
      resolved: r.resolved,
      costUsd: r.cost_usd ?? null,
      inputTokens: split ? (r.input_tokens ?? 0) : 0,
      outputTokens: split ? (r.output_tokens ?? 0) : (r.tokens ?? 0),
      round: r.round ?? 1,
      exitReason: r.exit_reason ?? null,
    });
  });
  if (outcomes.length === 0) throw new InvalidInputError('no outcomes in file', { file });
  return { outcomes, warnings: [] };
}
