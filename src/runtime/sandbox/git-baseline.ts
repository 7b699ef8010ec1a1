import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from './shell-quote.js';

/**
 * Git options for every harness-side git call. `-c` wins over the repository's `.git/config`, so a
 * workspace cannot make the harness run anything (hooks, fsmonitor, pager, external diff or
 * textconv drivers), nor change the patch's shape (prefixes, relative paths, renames, quoting),
 * nor rewrite content on the way in (autocrlf, a global attributes file).
 */
const SAFE_GIT = [
  'git',
  '-c core.hooksPath=/dev/null -c core.fsmonitor=false -c core.pager=cat -c color.ui=false',
  '-c core.autocrlf=false -c core.safecrlf=false -c core.attributesFile=/dev/null -c core.quotePath=true',
  '-c core.symlinks=true -c core.ignoreCase=false -c core.precomposeUnicode=false',
  '-c diff.mnemonicPrefix=false -c diff.noprefix=false -c diff.relative=false -c diff.renames=false',
  '-c diff.suppressBlankEmpty=false -c diff.submodule=short',
  '-c apply.whitespace=nowarn -c status.showUntrackedFiles=all -c "safe.directory=*"',
].join(' ');

/** Identity and config isolation for every harness git call (no system or global config, no inherited repository). */
const GIT_ENV =
  'export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_ATTR_NOSYSTEM=1 GIT_NO_REPLACE_OBJECTS=1 GIT_AUTHOR_NAME=marketbench GIT_AUTHOR_EMAIL=marketbench@localhost ' +
  'GIT_COMMITTER_NAME=marketbench GIT_COMMITTER_EMAIL=marketbench@localhost GIT_TERMINAL_PROMPT=0 ' +
  '&& unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES';

/**
 * Where the harness's own baseline repository is mounted inside a sandbox: outside the workspace,
 * and only for the harness's baseline and diff commands, so no command of the agent can read it
 * as its own repository or write it (the local backend does not mount it for them; the Docker
 * backend mounts it owned by another user than the one the agent runs as).
 */
export const HARNESS_GIT_DIR = '/.harness-git';

/**
 * Attributes of the harness repository. `$GIT_DIR/info/attributes` wins over every
 * `.gitattributes` of the workspace, so a workspace cannot make `git add` rewrite content on the
 * way in (end-of-line conversion, `ident`, a re-encoding, a clean filter) nor change how the diff
 * is drawn or merged: each attribute is unset or back to unspecified (git's own detection).
 */
export const HARNESS_ATTRIBUTES = '* -text -filter -ident !eol !working-tree-encoding !diff !merge';

/** The environment of a call on the harness repository at `HARNESS_GIT_DIR` over the workspace at `workTree`. */
function harnessGitEnv(workTree: string): string {
  return `${GIT_ENV} && export GIT_DIR=${HARNESS_GIT_DIR} GIT_WORK_TREE=${shellQuote(workTree)}`;
}

/** Options of `baselineScript`. */
export interface BaselineScriptOptions {
  /** The workspace root as commands see it (e.g. `/workspace`). */
  workTree: string;
  /**
   * Also give the agent a repository of its own at `.git` (a copy of the baseline) when the
   * workspace has none, so `git status` and `git diff` work for it; the harness never reads it.
   */
  agentRepository: boolean;
}

/**
 * Makes the harness's empty repository in a host folder: what `git init --template=` makes (no
 * sample hooks), a config holding nothing but the format, and `HARNESS_ATTRIBUTES`. Written from
 * the host with no process, since sandbox start time matters.
 */
export function prepareHarnessRepository(dir: string): void {
  mkdirSync(join(dir, 'objects'), { recursive: true });
  mkdirSync(join(dir, 'refs', 'heads'), { recursive: true });
  mkdirSync(join(dir, 'info'), { recursive: true });
  writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n');
  writeFileSync(join(dir, 'info', 'attributes'), `${HARNESS_ATTRIBUTES}\n`);
}

/**
 * Shell script that records the workspace's starting state as a commit in the harness's own
 * repository (made by `prepareHarnessRepository`, mounted at `HARNESS_GIT_DIR`) and prints its
 * hash; run once, before any untrusted command.
 */
export function baselineScript(options: BaselineScriptOptions): string {
  return [
    'set -e',
    harnessGitEnv(options.workTree),
    `${SAFE_GIT} add -A`,
    `${SAFE_GIT} commit -q --allow-empty --no-verify -m 'marketbench baseline'`,
    ...(options.agentRepository ? [agentRepositoryScript()] : []),
    // The new branch's loose ref holds the hash (a shell read, one process less than rev-parse).
    'read -r head < "$GIT_DIR/refs/heads/main" && echo "$head"',
  ].join('\n');
}

/** Shell script copying the harness's baseline repository to the workspace's `.git` when it has none (the agent's own, to use as it likes). */
export function agentRepositoryScript(): string {
  return `[ -e .git ] || cp -R ${HARNESS_GIT_DIR} .git`;
}

/** Shell script printing the binary-safe diff of the whole workspace at `workTree` (new files included) against the baseline commit. */
export function diffScript(input: { baseCommit: string; workTree: string }): string {
  return [
    'set -e',
    harnessGitEnv(input.workTree),
    `${SAFE_GIT} add -A`,
    // Fixed prefixes, no renames or copies (each path is its own section), no textconv or external drivers.
    `${SAFE_GIT} diff --cached --binary --full-index --no-ext-diff --no-textconv --no-color --no-renames --src-prefix=a/ --dst-prefix=b/ --no-relative --ignore-submodules=none ${shellQuote(input.baseCommit)}`,
  ].join('\n');
}

/** Separates the NUL-terminated path list from the summary in `patchPathsScript`'s output. */
export const PATCH_SUMMARY_MARK = '\0MARKETBENCH-SUMMARY\0';

/**
 * Shell script listing what a patch read from stdin would touch, without applying it: the paths
 * `git apply --numstat -z` prints (NUL-terminated, so spaces, quotes and newlines survive), then
 * the mark, then `git apply --summary` (creations, deletions, mode changes, renames, copies).
 */
export function patchPathsScript(): string {
  return [
    'set -e',
    GIT_ENV,
    'cat > /tmp/marketbench.patch',
    `${SAFE_GIT} apply --numstat -z /tmp/marketbench.patch`,
    `printf '\\0MARKETBENCH-SUMMARY\\0'`,
    `${SAFE_GIT} apply --summary /tmp/marketbench.patch`,
  ].join('\n');
}

/** Escapes a literal path for `git apply --exclude` (a wildmatch pattern). */
function literalPattern(path: string): string {
  return path.replace(/[\\*?[\]]/g, '\\$&');
}

/**
 * Shell script applying a patch read from stdin (`git apply`, falling back to a 3-way merge),
 * skipping the given paths (the harness rejected them).
 */
export function applyPatchScript(exclude: readonly string[] = []): string {
  const skip = exclude.map((path) => ` ${shellQuote(`--exclude=${literalPattern(path)}`)}`).join('');
  return [
    GIT_ENV,
    'cat > /tmp/marketbench.patch',
    `${SAFE_GIT} apply --whitespace=nowarn${skip} /tmp/marketbench.patch || ${SAFE_GIT} apply --whitespace=nowarn --3way${skip} /tmp/marketbench.patch`,
  ].join('\n');
}
