/**
 * Per-test results from TAP output (what `node --test` prints when stdout is not a terminal):
 * `ok N - name` / `not ok N - name`, at any nesting depth. A name seen twice keeps its worst result.
 */
export function parseTap(output: string): Map<string, boolean> {
  const results = new Map<string, boolean>();
  for (const line of output.split('\n')) {
    const match = /^\s*(not ok|ok) \d+ - (.*?)(?:\s+#\s.*)?$/.exec(line);
    if (!match) continue;
    const name = (match[2] as string).trim();
    const ok = match[1] === 'ok' && !/#\s*(TODO|SKIP)\b/i.test(line);
    results.set(name, (results.get(name) ?? true) && ok);
  }
  return results;
}

/** Verdict on named acceptance tests: every one must have run and passed. */
export function gradeTests(input: { results: Map<string, boolean>; failToPass: readonly string[]; passToPass: readonly string[] }): {
  passed: string[];
  failed: string[];
  failToPassFailed: number;
  passToPassFailed: number;
} {
  const passed: string[] = [];
  const failed: string[] = [];
  let failToPassFailed = 0;
  let passToPassFailed = 0;
  for (const name of input.failToPass) {
    if (input.results.get(name) === true) passed.push(name);
    else {
      failed.push(name);
      failToPassFailed += 1;
    }
  }
  for (const name of input.passToPass) {
    if (input.results.get(name) === true) passed.push(name);
    else {
      failed.push(name);
      passToPassFailed += 1;
    }
  }
  return { passed, failed, failToPassFailed, passToPassFailed };
}
