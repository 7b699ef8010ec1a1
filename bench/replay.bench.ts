/**
 * Replay benchmark: every mechanism (the default line-up plus a central router with a scripted
 * policy) on the 500-task SWE-bench Verified bash-only matrix, with 1,000 paired bootstrap
 * resamples per comparison. Prints wall time, peak memory and the ratio to the 5 s target.
 * Run: npm run bench:replay
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { centralRouter } from '../src/mechanisms/index.js';
import { defaultMechanismSpecs, runReplay } from '../src/replay/index.js';
import { loadSwebenchBashOnlyMatrix } from '../src/runtime/data/matrix-swebench-bash-only.js';

const TARGET_SECONDS = 5;
const RESAMPLES = 1000;

const projectRoot = path.resolve(import.meta.dirname, '..');
const file = path.resolve(projectRoot, '../shared/data/swebench-verified-bash-only/outcomes.json');
if (!existsSync(file)) {
  process.stdout.write(`bench:replay skipped: ${file} not found\n`);
} else {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  const { matrix } = loadSwebenchBashOnlyMatrix({ file });
  const loaded = performance.now();
  const mechanisms = [
    ...defaultMechanismSpecs(matrix),
    // The central-router interface, driven by a scripted policy: the first worker still available.
    centralRouter({ name: 'central:first-available', policy: (_task, context) => context.available[0] ?? null }),
  ];
  const report = runReplay({ matrix, mechanisms, value: 5, maxAttempts: 2, resamples: RESAMPLES, seed: 1 });
  const end = performance.now();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRssKb = process.resourceUsage().maxRSS;
  const seconds = (end - start) / 1000;
  const names = Object.keys(report.mechanisms);
  const lines = [
    `replay bench: ${matrix.taskIds.length} tasks × ${matrix.workerIds.length} workers, ${names.length} mechanisms, ${report.comparisons.length} pairwise comparisons × ${RESAMPLES} bootstrap resamples`,
    `  load matrix      ${((loaded - start) / 1000).toFixed(2)} s`,
    `  replay + compare ${((end - loaded) / 1000).toFixed(2)} s`,
    `  wall time        ${seconds.toFixed(2)} s  (target ${TARGET_SECONDS} s, ratio ${(seconds / TARGET_SECONDS).toFixed(2)})`,
    `  peak RSS         ${(peakRss / 2 ** 20).toFixed(0)} MiB sampled; maxRSS ${(maxRssKb / 1024).toFixed(0)} MiB (resourceUsage)`,
    `  mechanisms       ${names.join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
