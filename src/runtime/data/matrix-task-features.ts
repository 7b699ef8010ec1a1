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
  if (tests !== undefined) features.tests = tests;
  return features;
}
