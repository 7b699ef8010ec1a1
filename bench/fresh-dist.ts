import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript module of the bin, without type declarations
import { chooseRuntime } from '../bin/runtime-choice.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Builds `dist/` when the bin would otherwise run `src/` through tsx (a checkout edited since its
 * last build), so a bench that spawns the bin times the compiled CLI a user runs, not tsx's
 * compile-on-load start-up (about 0.1 s more per process). Says so when it builds.
 */
export function ensureFreshDist(bench: string): void {
  const choice = chooseRuntime(root, {}) as { use: string; reason: string };
  if (choice.use === 'dist') return;
  process.stdout.write(`${bench}: the bin would use tsx (${choice.reason}); building dist/ first\n`);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
