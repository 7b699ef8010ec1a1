import { shellQuote } from './shell-quote.js';

/**
 * Git options for every harness-side git call: no hooks, no fsmonitor, no pager, no external diff
 * or textconv drivers, so a workspace's own `.git/config` cannot make the harness run anything.
 */
const SAFE_GIT = 'git -c core.hooksPath=/dev/null -c core.fsmonitor=false -c core.pager=cat -c color.ui=false';

/** Identity and config isolation for baseline commits. */
const GIT_ENV =
  'export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=marketbench GIT_AUTHOR_EMAIL=marketbench@localhost ' +
  'GIT_COMMITTER_NAME=marketbench GIT_COMMITTER_EMAIL=marketbench@localhost GIT_TERMINAL_PROMPT=0';

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
    `${SAFE_GIT} diff --cached --binary --no-ext-diff --no-textconv --no-color ${shellQuote(baseCommit)}`,
  ].join('\n');
}

/** Shell script applying a patch read from stdin (`git apply`, falling back to a 3-way merge). */
export function applyPatchScript(): string {
  return [
    GIT_ENV,
    'cat > /tmp/marketbench.patch',
    `${SAFE_GIT} apply --whitespace=nowarn /tmp/marketbench.patch || ${SAFE_GIT} apply --whitespace=nowarn --3way /tmp/marketbench.patch`,
  ].join('\n');
}
