/**
 * Benchmark of `marketbench analyze` on the paper's 558 phase-1 rows with 10,000 task-clustered
 * bootstrap resamples (target: under 1 s). Times (1) the whole process, spawning the CLI as a
 * child exactly as a user runs it, and (2) the in-process analysis (load + analyzeRows).
 * Run: npm run bench:analyze
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/core/index.js';
import { analyzeRows } from '../src/metrics/index.js';
import { loadForecastRows } from '../src/runtime/data/phase1.js';
import { ensureFreshDist } from './fresh-dist.js';

const TARGET_MS = 1000;
const RESAMPLES = 10_000;
const REPEATS = 5;

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(projectRoot, '../shared/data/marketbench');
const forecastsFile = path.join(dataDir, 'calibration_results_norationale.csv');
const pricingFile = path.join(dataDir, 'model_token_pricing.csv');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function line(label: string, times: number[]): void {
  const m = median(times);
  const verdict = m <= TARGET_MS ? 'within target' : 'OVER target';
  console.log(
    `${label.padEnd(34)} median ${m.toFixed(0).padStart(5)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})  ratio to 1 s target ${(m / TARGET_MS).toFixed(2)}  ${verdict}`,
  );
}

if (!existsSync(forecastsFile)) {
  console.warn(`bench:analyze skipped: ${forecastsFile} not found (the shared data folder is absent)`);
  process.exit(0);
}

// (2) in process: loading the files and the whole analysis, after one warm-up run.
const inProcess: number[] = [];
const analysisOnly: number[] = [];
let figures = '';
for (let k = 0; k <= REPEATS; k++) {
  const start = performance.now();
  const { rows } = loadForecastRows({ cwd: dataDir, forecastsFile, pricingFile });
  const loaded = performance.now();
  const report = analyzeRows(rows, { random: new Random(42), resamples: RESAMPLES });
  const end = performance.now();
  if (k === 0) {
    const o = report.overall;
    const fmt = (ci: [number, number] | null) => (ci ? `[${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]` : '');
    figures = [
      `rows ${o.n}, tasks ${o.tasks}, workers ${Object.keys(report.byWorker).length}, resamples ${RESAMPLES}`,
      `Brier ${o.brier.toFixed(4)} ${fmt(o.brierCi)}  ECE ${o.ece.toFixed(4)} ${fmt(o.eceCi)}  AUROC ${o.auroc.toFixed(4)} ${fmt(o.aurocCi)}`,
      `mean p ${o.meanP.toFixed(4)}  pass rate ${o.passRate.toFixed(4)}  median T̂/T ${o.medianTokenRatio.toFixed(4)} ${fmt(o.medianTokenRatioCi)}`,
      `realized profit ${o.auction.realizedProfit.toFixed(4)} ${fmt(o.auction.realizedProfitCi)}  oracle gap ${o.auction.oracleGap.toFixed(4)} ${fmt(o.auction.oracleGapCi)}`,
    ].join('\n');
    continue;
  }
  inProcess.push(end - start);
  analysisOnly.push(end - loaded);
}

// (1) whole process: the CLI as a child, as a user runs it.
ensureFreshDist('bench:analyze');
const bin = path.join(projectRoot, 'bin/marketbench.js');
const args = [bin, 'analyze', '--forecasts', forecastsFile, '--pricing', pricingFile, '--resamples', String(RESAMPLES), '--format', 'json'];
const wholeProcess: number[] = [];
const startupOnly: number[] = [];
for (let k = 0; k <= REPEATS; k++) {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (child.status !== 0) {
    console.error(child.stderr);
    process.exit(1);
  }
  const startupStart = performance.now();
  spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  const startup = performance.now() - startupStart;
  if (k === 0) {
    JSON.parse(child.stdout);
    continue;
  }
  wholeProcess.push(elapsed);
  startupOnly.push(startup);
}

console.log(`bench:analyze — the paper's phase-1 rows, ${RESAMPLES} bootstrap resamples, ${REPEATS} timed runs each\n${figures}\n`);
line('whole process (CLI child)', wholeProcess);
line('  of which CLI start-up (--version)', startupOnly);
line('in process: load + analyze', inProcess);
line('in process: analyze only', analysisOnly);
