import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

let builtinFixes: Map<string, string> | undefined;

/**
 * The known fix (a unified diff) of a built-in task, found by its problem statement; undefined for
 * tasks without one (custom suites, SWE-bench). The mock agent "knows" these fixes: that is what
 * makes it a mock, and why its outcomes are synthetic.
 */
export function knownFixFor(statement: string): string | undefined {
  builtinFixes ??= readBuiltinFixes();
  return builtinFixes.get(statement.trim());
}

const ManifestSchema = z.object({ statement: z.string() });

// Read here rather than through runtime/suites, which sits above the providers in the layers.
function readBuiltinFixes(): Map<string, string> {
  const fixes = new Map<string, string>();
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'suites', 'builtin'))) {
    const parent = dirname(dir);
    if (parent === dir) return fixes;
    dir = parent;
  }
  const root = join(dir, 'suites', 'builtin');
  for (const name of readdirSync(root).sort()) {
    const manifest = join(root, name, 'task.json');
    const fix = join(root, name, 'fix.patch');
    if (!existsSync(manifest) || !existsSync(fix)) continue;
    const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(manifest, 'utf8')));
    if (parsed.success) fixes.set(parsed.data.statement.trim(), readFileSync(fix, 'utf8'));
  }
  return fixes;
}

/** The files a unified diff changes (its `+++ b/…` lines). */
export function patchedFiles(patch: string): string[] {
  return [...patch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((match) => (match[1] as string).trim());
}

/**
 * A plausible wrong edit built from the known fix: every hunk keeps the old lines, each marked with
 * a comment as if handled, so the patch applies cleanly but the bug stays.
 */
export function wrongEditOf(patch: string): string {
  const out: string[] = [];
  let file = '';
  let hunk: string[] = [];
  const flush = () => {
    if (hunk.length === 0) return;
    const header = hunk[0] as string;
    const body = hunk.slice(1);
    const comment = file.endsWith('.py') ? '  # handle the edge case' : ' // handle the edge case';
    const lines: string[] = [];
    for (const line of body) {
      if (line.startsWith('+')) continue;
      if (line.startsWith('-')) lines.push(line, `+${line.slice(1)}${comment}`);
      else lines.push(line);
    }
    const oldCount = body.filter((line) => !line.startsWith('+')).length;
    const start = /^@@ -(\d+)/.exec(header)?.[1] ?? '1';
    out.push(`@@ -${start},${oldCount} +${start},${oldCount} @@`, ...lines);
    hunk = [];
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('@@')) {
      flush();
      hunk = [line];
    } else if (hunk.length > 0 && (line.startsWith(' ') || line.startsWith('-') || line.startsWith('+') || line === '')) {
      if (line === '') continue;
      hunk.push(line);
    } else {
      flush();
      if (line.startsWith('+++ b/')) file = line.slice(6).trim();
      if (line !== '') out.push(line);
    }
  }
  flush();
  return `${out.join('\n')}\n`;
}
