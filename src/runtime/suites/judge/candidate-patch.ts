import { applyPatchScript, PATCH_SUMMARY_MARK, patchPathsScript } from '../../sandbox/git-baseline.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { shellQuote } from '../../sandbox/shell-quote.js';

/** A path of a candidate patch that the harness refused, and why. */
export interface RejectedPath {
  /** The path, exactly as git would write it. */
  path: string;
  /** Why it was refused. */
  reason: string;
}

/** What the task lets a candidate patch change. */
export interface PatchRules {
  /** Paths the judge writes itself (hidden tests, harness files): never taken from the patch. */
  protectedPaths?: readonly string[];
  /** Folder prefixes (e.g. `src/`) a patch may change; everything when absent or empty. */
  allowedPaths?: readonly string[];
}

/** Outcome of `applyCandidatePatch`. */
export interface AppliedPatch {
  /** False when git could not apply the (kept part of the) patch. */
  applied: boolean;
  /** git's output when it failed. */
  log: string;
  /** Paths dropped from the patch, with reasons (stored with the evaluation). */
  rejected: RejectedPath[];
}

/** Path components no candidate may write: tool folders that shadow the judge's, git's own, the harness's. */
const FORBIDDEN_COMPONENTS = new Set(['node_modules', '.git', '.marketbench']);

/** Why a path may not be patched, or undefined when it may. */
export function rejectionReason(path: string, rules: PatchRules): string | undefined {
  const parts = path.split('/');
  const forbidden = parts.find((part) => FORBIDDEN_COMPONENTS.has(part) || part.startsWith('__marketbench'));
  if (forbidden !== undefined) return `inside ${forbidden} (tool and harness folders are not part of a fix)`;
  if (rules.protectedPaths?.includes(path)) return 'a hidden test file (the judge writes it)';
  const allowed = rules.allowedPaths ?? [];
  if (allowed.length > 0 && !allowed.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))) {
    return `outside the task's allowed paths (${allowed.join(', ')})`;
  }
  return undefined;
}

/** Splits `patchPathsScript` output into the touched paths and the summary lines. */
export function parsePatchPaths(output: string): { paths: string[]; summary: string[] } {
  const mark = output.indexOf(PATCH_SUMMARY_MARK);
  const list = mark < 0 ? output : output.slice(0, mark);
  const summary = mark < 0 ? '' : output.slice(mark + PATCH_SUMMARY_MARK.length);
  const paths: string[] = [];
  for (const record of list.split('\0')) {
    // `added<TAB>deleted<TAB>path`; git's -z form never quotes the path.
    const match = /^[-\d]+\t[-\d]+\t([\s\S]+)$/.exec(record);
    if (match) paths.push(match[1] as string);
  }
  return { paths, summary: summary.split('\n').filter((line) => line.trim() !== '') };
}

/**
 * Applies a candidate patch the harness's way in a fresh evaluation workspace: the paths git would
 * touch are listed NUL-separated (spaces, quotes and newlines survive), paths under `node_modules`,
 * `.git` or the harness's folders, hidden test files and paths outside the task's allowed folders
 * are excluded from the apply with their reason, a patch that renames or copies files is refused
 * (the harness's own diff never does), and any symlink the patch left is removed and reported.
 */
export async function applyCandidatePatch(sandbox: Sandbox, patch: string, rules: PatchRules = {}): Promise<AppliedPatch> {
  if (!patch.trim()) return { applied: true, log: '', rejected: [] };
  const stdin = patch.endsWith('\n') ? patch : `${patch}\n`;
  const listed = await sandbox.exec(patchPathsScript(), { stdin });
  if (listed.exitCode !== 0) return { applied: false, log: `${listed.stdout}${listed.stderr}`, rejected: [] };
  const parsed = parsePatchPaths(listed.stdout);
  const paths = [...new Set(parsed.paths)];
  const summary = parsed.summary;
  const moved = summary.filter((line) => /^\s*(rename|copy) /.test(line));
  if (moved.length > 0) {
    return { applied: false, log: `patches that rename or copy files are not accepted:\n${moved.join('\n')}`, rejected: [] };
  }
  const rejected: RejectedPath[] = [];
  for (const path of paths) {
    const reason = rejectionReason(path, rules);
    if (reason) rejected.push({ path, reason });
  }
  const applied = await sandbox.exec(applyPatchScript(rejected.map((entry) => entry.path)), { stdin });
  if (applied.exitCode !== 0) return { applied: false, log: `${applied.stdout}${applied.stderr}`, rejected };
  // Symlinks are found inside the sandbox (the workspace may live only there, e.g. on its tmpfs or
  // in a container): the applied paths go in NUL-separated, the symlinks among them come back so.
  const appliedPaths = paths.filter((path) => !rejected.some((entry) => entry.path === path));
  const found = await sandbox.exec(`xargs -0 -r sh -c 'for f; do if [ -L "$f" ]; then printf "%s\\0" "$f"; fi; done' sh`, {
    stdin: appliedPaths.map((path) => `${path}\0`).join(''),
  });
  const links = found.stdout.split('\0').filter((path) => path !== '' && appliedPaths.includes(path));
  if (links.length > 0) {
    await sandbox.exec(`rm -f -- ${links.map((path) => shellQuote(path)).join(' ')}`);
    for (const path of links) rejected.push({ path, reason: 'a symlink (patches may not create symlinks)' });
  }
  return { applied: true, log: '', rejected };
}

/** One line naming the rejected paths, for the evaluation's detail. */
export function describeRejected(rejected: readonly RejectedPath[]): string {
  if (rejected.length === 0) return '';
  const shown = rejected.slice(0, 5).map((entry) => `${JSON.stringify(entry.path)}: ${entry.reason}`);
  return `rejected from the patch: ${shown.join('; ')}${rejected.length > 5 ? `; and ${rejected.length - 5} more` : ''}`;
}
