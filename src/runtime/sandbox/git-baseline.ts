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
  '-c apply.whitespace=nowarn -c status.showUntrackedFiles=all',
].join(' ');

/** Identity and config isolation for baseline commits (no system or global config). */
const GIT_ENV =
  'export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_ATTR_NOSYSTEM=1 GIT_NO_REPLACE_OBJECTS=1 GIT_AUTHOR_NAME=marketbench GIT_AUTHOR_EMAIL=marketbench@localhost ' +
  'GIT_COMMITTER_NAME=marketbench GIT_COMMITTER_EMAIL=marketbench@localhost GIT_TERMINAL_PROMPT=0 ' +
  '&& unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES';

/**
 * Shell script that records the workspace's starting state as a commit (initializing a repository
 * when there is none) and prints its hash; run once, before any untrusted command.
 */
export function baselineScript(): string {
  return [
    'set -e',
    GIT_ENV,
    `[ -d .git ] || ${SAFE_GIT} -c init.defaultBranch=main init -q`,
    `${SAFE_GIT} add -A`,
    `${SAFE_GIT} commit -q --allow-empty --no-verify -m 'marketbench baseline'`,
    `${SAFE_GIT} rev-parse HEAD`,
  ].join('\n');
}

/** Shell script printing the binary-safe diff of the whole workspace (new files included) against a commit. */
export function diffScript(baseCommit: string): string {
  return [
    'set -e',
    GIT_ENV,
    `${SAFE_GIT} add -A`,
    // Fixed prefixes, no renames or copies (each path is its own section), no textconv or external drivers.
    `${SAFE_GIT} diff --cached --binary --full-index --no-ext-diff --no-textconv --no-color --no-renames --src-prefix=a/ --dst-prefix=b/ --no-relative --ignore-submodules=none ${shellQuote(baseCommit)}`,
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
