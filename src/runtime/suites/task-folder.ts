import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { parseRecord } from './jsonl-file.js';
import type { RepoTaskSpec } from './repo-task-spec.js';

/**
 * `task.json` of a task folder (`<task>/task.json`, `<task>/repo/`, `<task>/hidden/`, `<task>/fix.patch`,
 * and the judge's `<task>/judge/probes.ts` + `<task>/judge/expected.cjs`).
 */
export const TaskFolderManifestSchema = z.object({
  /** Task id (unique in the suite). */
  id: z.string().min(1),
  /** Short title. */
  title: z.string().optional(),
  /** Main language of the repository. */
  language: z.string().optional(),
  /** Kind of bug (for describing results; never shown to agents or forecasters). */
  bugKind: z.string().optional(),
  /** The issue text shown to the agent. */
  statement: z.string().min(1),
  /** Acceptance command run in the repository. */
  testCommand: z.string().min(1),
  /** Command run before the baseline (no network). */
  setup: z.string().default(''),
  /** Paths under `hidden/` written over the repository at evaluation. */
  hiddenFiles: z.array(z.string()).default([]),
  /** Tests that fail before the fix and must pass after it. */
  failToPass: z.array(z.string()).default([]),
  /** Tests that must keep passing. */
  passToPass: z.array(z.string()).default([]),
  /** Test time limit in seconds. */
  timeoutSeconds: z.number().positive().default(120),
  /** Folder prefixes a fix may change (e.g. `["src/"]`); empty: any path except tool, harness and hidden files. */
  allowedPaths: z.array(z.string()).default([]),
});

/** One task folder → a task (with its spec in `metadata.repoTask` and the known fix in `metadata.fixPatch`). */
export function loadTaskFolder(dir: string, suite: string): Task {
  const manifestFile = join(dir, 'task.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read task manifest: ${(error as Error).message}`, { file: manifestFile });
  }
  const manifest = parseRecord(TaskFolderManifestSchema, { line: 1, value: raw }, manifestFile);
  const hiddenFiles: Record<string, string> = {};
  for (const path of manifest.hiddenFiles) hiddenFiles[path] = readFileSync(join(dir, 'hidden', path), 'utf8');
  const fixFile = join(dir, 'fix.patch');
  const probesFile = join(dir, 'judge', 'probes.ts');
  const expectedFile = join(dir, 'judge', 'expected.cjs');
  const judge = existsSync(probesFile) && existsSync(expectedFile) ? { probes: readFileSync(probesFile, 'utf8'), expected: readFileSync(expectedFile, 'utf8') } : null;
  if (!judge && manifest.failToPass.length + manifest.passToPass.length === 0) {
    throw new InvalidInputError('a task needs named tests (failToPass/passToPass) or a judge (judge/probes.ts and judge/expected.cjs)', { file: manifestFile, line: 1, field: 'failToPass' });
  }
  const spec: RepoTaskSpec = {
    dir: resolve(dir, 'repo'),
    setup: manifest.setup,
    testCommand: manifest.testCommand,
    hiddenFiles,
    testPatch: '',
    timeoutMs: Math.round(manifest.timeoutSeconds * 1000),
    judge,
    allowedPaths: manifest.allowedPaths,
    resultFile: '',
  };
  return {
    id: manifest.id,
    suite,
    title: manifest.title ?? manifest.id,
    statement: manifest.statement,
    tests: { failToPass: manifest.failToPass, passToPass: manifest.passToPass },
    features: manifest.language ? { language: manifest.language } : ({} as Record<string, string>),
    metadata: {
      repoTask: spec,
      bugKind: manifest.bugKind ?? null,
      fixPatch: existsSync(fixFile) ? readFileSync(fixFile, 'utf8') : null,
    },
  };
}

/** Every task folder (a subfolder with `task.json`) under `root`, in name order. */
export function loadTaskFolders(root: string, suite: string): Task[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InvalidInputError('not a folder of task folders', { file: root });
  return readdirSync(root)
    .sort()
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'task.json')))
    .map((dir) => loadTaskFolder(dir, suite));
}
