import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { SandboxLimitsInput } from '../sandbox/limits.js';
import { parseRecord, readRecords } from './jsonl-file.js';
import { repoTaskSuite } from './repo-task-suite.js';
import type { RepoTaskSpec } from './repo-task-spec.js';
import type { Suite } from './suite.js';

/** One line of a custom task file. */
export const CustomTaskSchema = z.object({
  /** Unique task id. */
  id: z.string().min(1),
  /** The problem statement shown to the agent. */
  statement: z.string().min(1),
  /** Short title. */
  title: z.string().optional(),
  /** A folder (relative to the task file) or a git URL. */
  repo: z.string().min(1),
  /** Commit to check out (required for a git URL; optional for a folder that is a git repository). */
  commit: z.string().optional(),
  /** Command run in the sandbox before the agent starts (no network). */
  setup: z.string().default(''),
  /** Test command; graded by named tests (TAP on stdout, or `resultFile`), never by its exit code alone. */
  test: z.string().min(1),
  /** Hidden files written over the workspace before the test (path → content). */
  hiddenFiles: z.record(z.string(), z.string()).default({}),
  /** Hidden test patch applied after the candidate patch. */
  testPatch: z.string().default(''),
  /** Tests that must go from failing to passing (names as the test runner prints them). */
  failToPass: z.array(z.string()).default([]),
  /** Tests that must keep passing. */
  passToPass: z.array(z.string()).default([]),
  /** Test time limit in seconds (default 120). */
  timeoutSeconds: z.number().positive().default(120),
  /**
   * A JSON result file the test command writes (relative to the workspace), shaped
   * `{"tests":[{"name":"…","passed":true}]}`; without it, named tests are read from TAP on stdout.
   */
  resultFile: z.string().min(1).optional(),
  /** Folder prefixes a fix may change (e.g. `["src/"]`); empty: any path except tool, harness and hidden files. */
  allowedPaths: z.array(z.string()).default([]),
  /**
   * A judge kept apart from the candidate (files relative to the task file): `probes` (a module
   * default-exporting test name → function returning plain data, run in the candidate's sandbox)
   * and `expected` (CommonJS, test name → expected value, only in the judge's sandbox).
   */
  judge: z.object({ probes: z.string().min(1), expected: z.string().min(1) }).optional(),
  /** Language, a feature for allocators. */
  language: z.string().optional(),
});

/** A custom task as written in the file. */
export type CustomTask = z.infer<typeof CustomTaskSchema>;

/** True for repository references git must clone. */
function isGitUrl(repo: string): boolean {
  return /^(https?|ssh|git|file):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/** Clones `repo` at `commit` into a cache folder once (on the host, with network), returning the folder. */
export function checkoutRepository(input: { repo: string; commit: string; cacheDir: string }): string {
  const dir = join(input.cacheDir, createHash('sha256').update(`${input.repo}\n${input.commit}`).digest('hex').slice(0, 16));
  if (existsSync(join(dir, '.git'))) return dir;
  mkdirSync(input.cacheDir, { recursive: true });
  const git = (args: string[], cwd?: string) => {
    const result = spawnSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false', ...args], { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new InvalidInputError(`git ${args[0]} of ${input.repo} failed: ${(result.stderr || result.stdout).trim()}`, { field: 'repo' });
  };
  git(['clone', '--quiet', input.repo, dir]);
  git(['checkout', '--quiet', '--detach', input.commit], dir);
  // Like SWE-bench's images: no remote, branches or tags that would show the agent later commits.
  git(['remote', 'remove', 'origin'], dir);
  const refs = spawnSync('git', ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags'], { cwd: dir, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const ref of refs) git(['update-ref', '-d', ref], dir);
  git(['reflog', 'expire', '--expire=now', '--all'], dir);
  git(['gc', '--quiet', '--prune=now'], dir);
  return dir;
}

/** Reads a file named by a task line (relative to the task file). */
function readTaskFile(taskFile: string, line: number, path: string): string {
  try {
    return readFileSync(resolve(dirname(taskFile), path), 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read judge file ${path}: ${(error as Error).message}`, { file: taskFile, line, field: 'judge' });
  }
}

/** Options of `loadCustomTasks`. */
export interface LoadCustomTasksOptions {
  /** Suite name (default `custom`). */
  suite?: string;
  /** Where git checkouts are cached (default `<tmp>/marketbench-repos`). */
  cacheDir?: string;
}

/** Loads a custom task file (JSONL or JSON array); git repositories are cloned once into a cache. */
export function loadCustomTasks(file: string, options: LoadCustomTasksOptions = {}): Task[] {
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'marketbench-repos');
  const seen = new Set<string>();
  return readRecords(file).map((record): Task => {
    const row = parseRecord(CustomTaskSchema, record, file);
    if (seen.has(row.id)) throw new InvalidInputError(`task '${row.id}' appears twice`, { file, line: record.line, field: 'id' });
    seen.add(row.id);
    if (row.failToPass.length + row.passToPass.length === 0 && row.resultFile === undefined) {
      throw new InvalidInputError('a task needs named tests (failToPass/passToPass, read from TAP output) or a resultFile; an exit code alone is not a verdict', { file, line: record.line, field: 'failToPass' });
    }
    const judge = row.judge ? { probes: readTaskFile(file, record.line, row.judge.probes), expected: readTaskFile(file, record.line, row.judge.expected) } : null;
    let dir: string;
    if (isGitUrl(row.repo)) {
      if (!row.commit) throw new InvalidInputError('a git URL needs a commit', { file, line: record.line, field: 'commit' });
      dir = checkoutRepository({ repo: row.repo, commit: row.commit, cacheDir });
    } else {
      dir = resolve(dirname(file), row.repo);
      if (!existsSync(dir)) throw new InvalidInputError(`repository folder ${dir} does not exist`, { file, line: record.line, field: 'repo' });
      if (row.commit) dir = checkoutRepository({ repo: dir, commit: row.commit, cacheDir });
    }
    const spec: RepoTaskSpec = {
      dir,
      setup: row.setup,
      testCommand: row.test,
      hiddenFiles: row.hiddenFiles,
      testPatch: row.testPatch,
      timeoutMs: Math.round(row.timeoutSeconds * 1000),
      judge,
      allowedPaths: row.allowedPaths,
      resultFile: row.resultFile ?? '',
    };
    return {
      id: row.id,
      suite: options.suite ?? 'custom',
      title: row.title ?? row.id,
      repo: row.repo,
      ...(row.commit !== undefined && { baseCommit: row.commit }),
      statement: row.statement,
      tests: { failToPass: row.failToPass, passToPass: row.passToPass },
      features: row.language ? { language: row.language } : ({} as Record<string, string>),
      metadata: { repoTask: spec },
    };
  });
}

/** A suite from a custom task file, judged locally like the built-in suite. */
export function customSuite(options: { file: string; name?: string; limits?: SandboxLimitsInput; cacheDir?: string }): Suite {
  const name = options.name ?? 'custom';
  return repoTaskSuite({ name, load: () => loadCustomTasks(options.file, { suite: name, cacheDir: options.cacheDir }), limits: options.limits });
}
