import { z } from 'zod';
import type { Evaluation } from '../suite.js';

/** One named test as the judge reports it. */
export const JudgedTestSchema = z.object({
  /** Test name (as the task lists it in FAIL_TO_PASS / PASS_TO_PASS). */
  name: z.string(),
  /** Whether it passed. */
  passed: z.boolean(),
  /** Why it failed (assertion message, candidate error), empty when it passed. */
  message: z.string().default(''),
});

/** The result file every evaluator produces and the harness parses: named tests, never an exit code. */
export const JudgeReportSchema = z.object({
  /** Every test the judge ran. */
  tests: z.array(JudgedTestSchema),
});
/** The judge's result file. */
export type JudgeReport = z.infer<typeof JudgeReportSchema>;

/** Parses a result file's text; undefined when it is missing or malformed (which grades as unresolved). */
export function parseJudgeReport(text: string | undefined): JudgeReport | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JudgeReportSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Inputs of `gradeReport`. */
export interface GradeReportInput {
  /** The parsed result (undefined when the judge produced none). */
  report: JudgeReport | undefined;
  /** Tests that must pass after the fix. */
  failToPass: readonly string[];
  /** Tests that must keep passing. */
  passToPass: readonly string[];
  /** What happened besides the tests (e.g. `judge timed out`), put in front of the detail. */
  note?: string;
  /** Captured output of the run. */
  log: string;
}

/**
 * The one grading rule of every suite: resolved iff at least one named test exists, and every
 * FAIL_TO_PASS and PASS_TO_PASS test was reported by the judge and passed. A test the report does
 * not name counts as failed; an exit code never counts.
 */
export function gradeReport(input: GradeReportInput): Evaluation {
  // A task that names no tests (a custom task with a result file) requires every reported test.
  if (input.failToPass.length + input.passToPass.length === 0) {
    return gradeReport({ ...input, failToPass: [...new Set((input.report?.tests ?? []).map((test) => test.name))] });
  }
  const results = new Map<string, { passed: boolean; message: string }>();
  for (const test of input.report?.tests ?? []) {
    const seen = results.get(test.name);
    results.set(test.name, { passed: (seen?.passed ?? true) && test.passed, message: seen?.message || test.message });
  }
  const passed: string[] = [];
  const failed: string[] = [];
  const reasons: string[] = [];
  let failToPassOk = 0;
  for (const name of [...input.failToPass, ...input.passToPass]) {
    const result = results.get(name);
    if (result?.passed) {
      passed.push(name);
      if (input.failToPass.includes(name)) failToPassOk += 1;
    } else {
      failed.push(name);
      reasons.push(`${name}: ${result ? result.message || 'failed' : 'not reported'}`);
    }
  }
  const named = input.failToPass.length + input.passToPass.length;
  const resolved = named > 0 && failed.length === 0 && input.report !== undefined;
  const counts = `${failToPassOk}/${input.failToPass.length} FAIL_TO_PASS and ${passed.length - failToPassOk}/${input.passToPass.length} PASS_TO_PASS tests passed`;
  const summary = input.report === undefined ? 'the judge reported no result' : counts;
  const first = reasons[0] ? `; first failure: ${reasons[0].slice(0, 300)}` : '';
  return {
    resolved,
    patchApplied: true,
    passed,
    failed,
    detail: `${input.note ? `${input.note}; ` : ''}${summary}${first}`,
    log: input.log,
  };
}
