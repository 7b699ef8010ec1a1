import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, onTestFinished } from 'vitest';

/**
 * A fresh temporary folder, removed when the test that made it finishes, or after the test file
 * when made while the file is collected (an `afterAll` registered from inside a running test
 * never runs, so folders made in tests used to stay behind).
 */
export function tempDir(prefix = 'mb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (expect.getState().currentTestName !== undefined) onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
