import { capLog, type Evaluation } from '../suite.js';
import type { CallBridgeResult } from './call-bridge.js';
import { gradeReport, parseJudgeReport } from './judge-report.js';

/** The named tests of a task. */
export interface NamedTests {
  /** Tests that must pass after the fix. */
  failToPass: readonly string[];
  /** Tests that must keep passing. */
  passToPass: readonly string[];
}

/**
 * Runs the judging that follows a successfully applied patch and grades it by named tests. Any
 * error here happens after the candidate's patch is in place (a planted symlink, a file the judge
 * cannot write, a crash of the judge's run), so it ends as an unresolved evaluation with its
 * reason, never as an exception that would leave the attempt without an outcome.
 */
export async function judgeAfterPatch(named: NamedTests, rejected: string, run: () => Promise<CallBridgeResult>): Promise<Evaluation> {
  let result: CallBridgeResult;
  try {
    result = await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      resolved: false,
      patchApplied: true,
      passed: [],
      failed: [...named.failToPass, ...named.passToPass],
      detail: [`evaluation error after the patch applied: ${reason}`, rejected].filter(Boolean).join('; '),
      log: '',
    };
  }
  const { judge, candidate } = result;
  // Both ends run under the judging's one time limit, each on its own clock: when the candidate's
  // clock runs out first, its end closes and the judge fails on the closed line a moment before
  // its own clock would have stopped it. That failure is the time limit's, not the judge's.
  const timedOut = judge.timedOut || (judge.exitCode !== 0 && candidate?.timedOut === true);
  const exitOk = judge.exitCode === 0 && !timedOut;
  const status = timedOut ? 'the judge timed out' : exitOk ? '' : `the judge's run exited ${judge.exitCode ?? judge.signal}`;
  const note = [status, rejected].filter(Boolean).join('; ');
  const report = parseJudgeReport(result.reportText);
  // The judge's verdict per test, written as TAP so the log reads like any test run's.
  const tests = report?.tests ?? [];
  const tap = [
    'TAP version 13',
    ...tests.map((test, index) => `${test.passed ? 'ok' : 'not ok'} ${index + 1} - ${test.name}${test.passed ? '' : `\n  # ${test.message.replace(/\n/g, '\n  # ')}`}`),
    `1..${tests.length}`,
  ].join('\n');
  const log = capLog(
    [tap, `--- judge (exit ${judge.exitCode}) ---`, judge.stderr, `--- candidate (exit ${candidate?.exitCode ?? 'killed'}) ---`, candidate ? `${candidate.stdout}${candidate.stderr}` : ''].join('\n'),
  );
  const graded = gradeReport({ report, failToPass: named.failToPass, passToPass: named.passToPass, note, log });
  return { ...graded, resolved: graded.resolved && exitOk };
}
