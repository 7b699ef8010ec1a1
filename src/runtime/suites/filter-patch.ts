/** The path a `diff --git a/X b/Y` section writes (its b-side). */
function sectionPath(section: string): string | undefined {
  const match = /^diff --git a\/(\S+) b\/(\S+)/.exec(section);
  return match?.[2];
}

/**
 * Drops the file sections of a git diff whose path fails `keep`, e.g. `node_modules/` (a
 * candidate must not shadow the evaluator's tools) or the hidden tests (the evaluator writes them).
 * Returns the kept patch and the dropped paths.
 */
export function filterPatch(patch: string, keep: (path: string) => boolean): { patch: string; dropped: string[] } {
  const sections = patch.split(/^(?=diff --git )/m);
  const dropped: string[] = [];
  const kept = sections.filter((section) => {
    const path = sectionPath(section);
    if (path === undefined || keep(path)) return true;
    dropped.push(path);
    return false;
  });
  return { patch: kept.join(''), dropped };
}

/** Paths a candidate patch may not touch at evaluation: vendored tool folders and the hidden files. */
export function evaluationKeep(hiddenPaths: readonly string[]): (path: string) => boolean {
  const hidden = new Set(hiddenPaths);
  return (path) => !hidden.has(path) && !path.split('/').includes('node_modules');
}
