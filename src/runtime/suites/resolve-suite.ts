import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import { builtinSuite, taskFolderSuite } from './builtin-suite.js';
import { detectCodeFormat } from './code-task-loader.js';
import { codeTaskSuite } from './code-task-suite.js';
import { customSuite } from './custom-suite.js';
import { readRecords } from './jsonl-file.js';
import type { Suite } from './suite.js';
import { swebenchSuite } from './swebench-suite.js';

/** Options of `resolveSuite`. */
export interface ResolveSuiteOptions {
  /** Folder relative paths are resolved against. */
  cwd: string;
  /** Sandbox limits for the suite's workspaces and tests. */
  limits?: SandboxLimitsInput;
  /** SWE-bench only: image namespace (null for locally built images). */
  namespace?: string | null;
}

/** What kind of task file this is, from its first record. */
export function detectSuiteKind(file: string): 'swebench' | 'code' | 'custom' | undefined {
  const first = readRecords(file)[0]?.value as Record<string, unknown> | undefined;
  if (!first || typeof first !== 'object') return undefined;
  if ('instance_id' in first) return 'swebench';
  if (detectCodeFormat(first)) return 'code';
  if ('id' in first && 'statement' in first && 'test' in first && 'repo' in first) return 'custom';
  return undefined;
}

/**
 * A suite from a name or a path: `builtin`; a folder of task folders; a task file whose kind is
 * detected (SWE-bench instances, HumanEval/MBPP-style code tasks, custom JSONL); or an explicit
 * `swebench:FILE`, `code:FILE`, `custom:FILE`, `folder:DIR`.
 */
export function resolveSuite(spec: string, options: ResolveSuiteOptions): Suite {
  if (spec === 'builtin') return builtinSuite({ limits: options.limits });
  const prefixed = /^(swebench|code|custom|folder):(.+)$/.exec(spec);
  const path = resolve(options.cwd, prefixed ? (prefixed[2] as string) : spec);
  if (!existsSync(path)) {
    throw new InvalidInputError(`unknown suite '${spec}': expected builtin, a folder of task folders, or a task file (SWE-bench, HumanEval/MBPP-style, or custom JSONL)`, {
      field: 'suite',
    });
  }
  const kind = prefixed ? (prefixed[1] as string) : statSync(path).isDirectory() ? 'folder' : detectSuiteKind(path);
  switch (kind) {
    case 'folder':
      return taskFolderSuite({ dir: path, limits: options.limits });
    case 'swebench':
      return swebenchSuite({ file: path, limits: options.limits, namespace: options.namespace });
    case 'code':
      return codeTaskSuite({ file: path, limits: options.limits });
    case 'custom':
      return customSuite({ file: path, limits: options.limits });
    default:
      throw new InvalidInputError(
        'cannot tell the task format: expected SWE-bench instances (instance_id), HumanEval/MBPP-style tasks (task_id, prompt, test…), or custom tasks (id, statement, repo, test)',
        { file: path, line: 1 },
      );
  }
}
