import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidInputError } from '../../core/index.js';

const TaskLineSchema = z.object({
  instance_id: z.string(),
  repo: z.string().optional(),
  problem_statement: z.string().optional(),
  FAIL_TO_PASS: z.union([z.array(z.string()), z.string()]).optional(),
  PASS_TO_PASS: z.union([z.array(z.string()), z.string()]).optional(),
});

/**
 * Pre-attempt features of a SWE-bench-style task, the kind a principal knows before any attempt:
 * the repository, the statement's length in characters and lines, how many fenced code blocks and
 * whether it contains a traceback, and the number of acceptance tests when they are listed.
 * Never derived from the gold patch.
 */
export function statementFeatures(options: {
  /** Repository, e.g. `django/django`. */
  repo: string | undefined;
  /** The problem statement. */
  statement: string;
  /** Number of FAIL_TO_PASS + PASS_TO_PASS tests, when known. */
  tests?: number | undefined;
}): Record<string, number | string> {
  const { repo, statement, tests } = options;
  const features: Record<string, number | string> = {
    statementChars: statement.length,
    statementLines: statement.split('\n').length,
    codeBlocks: Math.floor((statement.match(/```/g) ?? []).length / 2),
    hasTraceback: /Traceback \(most recent call last\)/.test(statement) ? 1 : 0,
  };
  if (repo !== undefined) features.repo = repo;
  // The text itself, for text routers (`router:text`); as a string feature it is never one-hot
  // encoded, since no two tasks share it.
  if (statement !== '') features.statement = statement;
  if (tests !== undefined) features.tests = tests;
  return features;
}

function countTests(value: string[] | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.length : undefined;
  } catch {
    return undefined;
  }
}

/** Reads pre-attempt features from a SWE-bench task JSONL (fields instance_id, repo, problem_statement, tests). */
export function readTaskFeatures(file: string, taskIds: string[]): Record<string, Record<string, number | string>> {
  const wanted = new Set(taskIds);
  const features: Record<string, Record<string, number | string>> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new InvalidInputError(`not JSON: ${(error as Error).message}`, { file, line: index + 1 });
    }
    const parsed = TaskLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(issue?.message ?? 'invalid task', {
        file,
        line: index + 1,
        field: issue?.path.join('.') ?? '',
      });
    }
    const task = parsed.data;
    if (!wanted.has(task.instance_id)) return;
    const failToPass = countTests(task.FAIL_TO_PASS);
    const passToPass = countTests(task.PASS_TO_PASS);
    const tests = failToPass === undefined && passToPass === undefined ? undefined : (failToPass ?? 0) + (passToPass ?? 0);
    features[task.instance_id] = statementFeatures({
      repo: task.repo,
      statement: task.problem_statement ?? '',
      tests,
    });
  });
  return features;
}
