import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import type { WorkspaceBackend } from '../sandbox/workspace-sandbox.js';
import { repoTaskSuite } from './repo-task-suite.js';
import type { Suite } from './suite.js';
import { loadTaskFolders } from './task-folder.js';

/** The folder of the built-in tasks (`suites/builtin` in the package), found by walking up from this file. */
export function builtinSuiteDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'suites', 'builtin');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the built-in suite folder (suites/builtin) is missing from this installation');
    dir = parent;
  }
}

/**
 * The built-in suite: small JavaScript and TypeScript repositories with real bugs, hidden failing
 * tests and known fixes, judged offline with `node --test` (and tsx) in the local sandbox.
 */
export function builtinSuite(options: { limits?: SandboxLimitsInput; backend?: WorkspaceBackend } = {}): Suite {
  return repoTaskSuite({ name: 'builtin', load: () => loadTaskFolders(builtinSuiteDir(), 'builtin'), limits: options.limits, backend: options.backend });
}

/** A suite from any folder of task folders in the built-in format. */
export function taskFolderSuite(options: { dir: string; name?: string; limits?: SandboxLimitsInput }): Suite {
  const name = options.name ?? 'folder';
  return repoTaskSuite({ name, load: () => loadTaskFolders(options.dir, name), limits: options.limits });
}
