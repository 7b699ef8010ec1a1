/**
 * `npm run bench:startup`: whole-process start-up of `marketbench --version` (the bin, which runs
 * the compiled dist/) against `node -e ''`, run side by side (A B A B …), medians. Also shows the
 * same command forced through tsx (MARKETBENCH_RUNTIME=tsx), the development fallback. Peak RSS
 * of one run each comes from /usr/bin/time when it is installed.
 * Target: marketbench --version ≤ 2 × node -e '' + 60 ms.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFreshDist } from './fresh-dist.js';

const ROUNDS = 21;
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'bin', 'marketbench.js');

interface Variant {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

const variants: Variant[] = [
  { name: "node -e ''", args: ['-e', ''] },
  { name: 'marketbench --version (dist)', args: [bin, '--version'] },
  { name: 'marketbench --version (tsx)', args: [bin, '--version'], env: { MARKETBENCH_RUNTIME: 'tsx' } },
];

function once(variant: Variant): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, variant.args, { env: { ...process.env, ...variant.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${variant.name} exited with ${result.status}`);
  return elapsed;
}

function peakRssKb(variant: Variant): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...variant.args], { env: { ...process.env, ...variant.env }, encoding: 'utf8' });
  const last = result.stderr.trim().split('\n').pop();
  return last ? Number(last) : undefined;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

ensureFreshDist('bench:startup');
const times = variants.map(() => [] as number[]);
// One warm-up run each (file-system cache).
for (const variant of variants) once(variant);
for (let round = 0; round < ROUNDS; round++) {
  for (const [v, variant] of variants.entries()) (times[v] as number[]).push(once(variant));
}
const medians = times.map(median);
process.stdout.write(`startup bench: whole process, ${ROUNDS} rounds side by side (A B C A B C …), medians; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
for (const [v, variant] of variants.entries()) {
  const rss = peakRssKb(variant);
  process.stdout.write(
    `  ${variant.name.padEnd(32)} ${(medians[v] as number).toFixed(0).padStart(5)} ms  (${((medians[v] as number) / (medians[0] as number)).toFixed(2)}× node)${rss ? `  peak RSS ${(rss / 1024).toFixed(0)} MiB` : ''}\n`,
  );
}
const node = medians[0] as number;
const ours = medians[1] as number;
const target = 2 * node + 60;
process.stdout.write(
  `ratio ${(ours / node).toFixed(2)}× node -e ''; target ≤ 2 × ${node.toFixed(0)} + 60 = ${target.toFixed(0)} ms: ${ours <= target ? 'met' : 'NOT met'} (${(ours / target).toFixed(2)} of the bound)\n`,
);
