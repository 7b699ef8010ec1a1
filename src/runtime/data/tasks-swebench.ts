import { z } from 'zod';
import { InvalidInputError, unreadableReason } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { readUtf8File } from './read-text.js';

/**
 * A test list as SWE-bench ships it: a real array, or a JSON-encoded string of one (the HF dataset).
 * One check over the array rather than a schema per name: SWE-bench lists run to thousands of
 * names, and every task file is read whole before a run starts.
 */
const TestListSchema = z
  .custom<string[] | string>((value) => typeof value === 'string' || (Array.isArray(value) && value.every((name) => typeof name === 'string')), {
    message: 'expected a list of test names (an array of strings, or a JSON-encoded one)',
  })
  .optional();

/** One SWE-bench instance (Lite, Verified, full), as users download it; extra fields are ignored. */
const SwebenchRecordSchema = z.object({
  instance_id: z.string().min(1),
  repo: z.string().min(1),
  base_commit: z.string().optional(),
  problem_statement: z.string(),
  FAIL_TO_PASS: TestListSchema,
  PASS_TO_PASS: TestListSchema,
  version: z.union([z.string(), z.number()]).optional(),
  environment_setup_commit: z.string().optional(),
  created_at: z.string().optional(),
  hints_text: z.string().optional(),
});

/** One task of a generic JSONL task file. */
const GenericRecordSchema = z.object({
  id: z.union([z.string().min(1), z.number()]),
  statement: z.string(),
  suite: z.string().min(1).optional(),
  title: z.string().optional(),
  repo: z.string().optional(),
  baseCommit: z.string().optional(),
  base_commit: z.string().optional(),
  tests: z.object({ failToPass: z.array(z.string()).optional(), passToPass: z.array(z.string()).optional() }).optional(),
  fail_to_pass: TestListSchema,
  pass_to_pass: TestListSchema,
  features: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Options of `loadTaskFile`. */
export interface LoadTaskFileOptions {
  /** Suite name of SWE-bench tasks (default `swebench`) and of generic tasks without one (default `custom`). */
  suite?: string;
}

/**
 * Loads tasks from a JSON array or JSONL file: SWE-bench instances (`instance_id`, `repo`,
 * `base_commit`, `problem_statement`, `FAIL_TO_PASS`, `PASS_TO_PASS`, test lists as arrays or
 * JSON-encoded strings) or generic tasks (`id`, `statement`, optional `title`, `repo`,
 * `baseCommit`, `tests`, `features`, `metadata`). The title of a SWE-bench task is the first line
 * of its statement; gold patches and test patches are never kept. Errors name the file, the line
 * (JSONL) or record index (JSON) and the field.
 */
export function loadTaskFile(file: string, options: LoadTaskFileOptions = {}): Task[] {
  let text: string;
  try {
    text = readUtf8File(file);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`cannot read task file: ${unreadableReason(error, 'a task file')}`, { file }, { cause: error });
  }
  const records = readRecords(text, file);
  const tasks: Task[] = [];
  const seen = new Set<string>();
  for (const { value, line } of records) {
    const task = toTask({ value, line, file, suite: options.suite });
    if (seen.has(task.id)) throw new InvalidInputError(`task '${task.id}' appears twice`, { file, line, field: 'id' });
    seen.add(task.id);
    tasks.push(task);
  }
  if (tasks.length === 0) throw new InvalidInputError('no tasks in file', { file });
  return tasks;
}

/** Records of a JSON array (line = 1-based record index) or JSONL (line = file line). */
function readRecords(text: string, file: string): { value: unknown; line: number }[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new InvalidInputError(`not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
    }
    return (parsed as unknown[]).map((value, index) => ({ value, line: index + 1 }));
  }
  const records: { value: unknown; line: number }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      records.push({ value: JSON.parse(line), line: index + 1 });
    } catch (error) {
      throw new InvalidInputError(`not valid JSON: ${(error as Error).message}`, { file, line: index + 1 }, { cause: error });
    }
  });
  return records;
}

function testList(value: string[] | string | undefined, where: { file: string; line: number; field: string }): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (value.trim() === '') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('expected a list of test names (an array or a JSON-encoded array of strings)', where);
}

function issueWhere(error: z.ZodError, where: { file: string; line: number }): { file: string; line: number; field: string } {
  return { ...where, field: error.issues[0]?.path.join('.') || '(record)' };
}

function toTask(input: { value: unknown; line: number; file: string; suite: string | undefined }): Task {
  const { value, line, file } = input;
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  if (!record) throw new InvalidInputError('expected a JSON object', { file, line });
  if ('instance_id' in record) {
    const parsed = SwebenchRecordSchema.safeParse(record);
    if (!parsed.success) {
      throw new InvalidInputError(`not a SWE-bench instance: ${parsed.error.issues[0]?.message}`, issueWhere(parsed.error, { file, line }));
    }
    const r = parsed.data;
    const metadata: Record<string, unknown> = {};
    if (r.version !== undefined) metadata.version = String(r.version);
    if (r.environment_setup_commit !== undefined) metadata.environmentSetupCommit = r.environment_setup_commit;
    if (r.created_at !== undefined) metadata.createdAt = r.created_at;
    if (r.hints_text) metadata.hintsText = r.hints_text;
    return {
      id: r.instance_id,
      suite: input.suite ?? 'swebench',
      title: firstLine(r.problem_statement) || r.instance_id,
      repo: r.repo,
      ...(r.base_commit !== undefined && { baseCommit: r.base_commit }),
      statement: r.problem_statement,
      tests: {
        failToPass: testList(r.FAIL_TO_PASS, { file, line, field: 'FAIL_TO_PASS' }),
        passToPass: testList(r.PASS_TO_PASS, { file, line, field: 'PASS_TO_PASS' }),
      },
      features: {},
      metadata,
    };
  }
  const parsed = GenericRecordSchema.safeParse(record);
  if (!parsed.success) {
    throw new InvalidInputError(
      `expected a SWE-bench instance (instance_id, …) or a task (id, statement, …): ${parsed.error.issues[0]?.message}`,
      issueWhere(parsed.error, { file, line }),
    );
  }
  const r = parsed.data;
  const baseCommit = r.baseCommit ?? r.base_commit;
  return {
    id: String(r.id),
    suite: r.suite ?? input.suite ?? 'custom',
    ...(r.title !== undefined && { title: r.title }),
    ...(r.repo !== undefined && { repo: r.repo }),
    ...(baseCommit !== undefined && { baseCommit }),
    statement: r.statement,
    tests: {
      failToPass: r.tests?.failToPass ?? testList(r.fail_to_pass, { file, line, field: 'fail_to_pass' }),
      passToPass: r.tests?.passToPass ?? testList(r.pass_to_pass, { file, line, field: 'pass_to_pass' }),
    },
    features: r.features ?? {},
    metadata: r.metadata ?? {},
  };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  return line.trim().slice(0, 160);
}
