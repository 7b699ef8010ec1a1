/**
 * Benchmark of the store's hot path: 10,000 paid jobs written the way the harness writes them
 * (startJob → putForecast → finishJob, each in its own statement, WAL mode), then a full export
 * and re-import of the forecasts table. Target: at least 5,000 jobs/s, so the ledger never slows
 * a run whose model calls take hundreds of milliseconds.
 * Run: npm run bench:store
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTable, importFile, jobKey, Store } from '../src/runtime/store/index.js';

const JOBS = 10_000;
const TARGET_JOBS_PER_SECOND = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'mb-bench-store-'));

try {
  const store = Store.open(join(dir, 'bench.db'));
  store.createRun({ kind: 'elicit', id: 'bench' });
  const started = performance.now();
  for (let index = 0; index < JOBS; index++) {
    const key = jobKey({ run: 'bench', task: `task-${index}`, worker: 'w', treatment: 'direct', repeat: 0 });
    store.startJob({ key, runId: 'bench', kind: 'forecast', payload: { task: index } });
    store.putForecast({
      runId: 'bench',
      jobKey: key,
      forecast: {
        taskId: `task-${index}`, workerId: 'w', treatment: 'direct', repeat: 0, pSuccess: (index % 100) / 100,
        expectedTokens: 3000, ask: null, valid: true, invalidReason: null, rawText: '{"p_success": 0.5}', rationale: null,
      },
      inputTokens: 800,
      outputTokens: 120,
      costUsd: 0.002,
      request: { prompt: 'x'.repeat(2000) },
      response: { text: '{"p_success": 0.5}' },
    });
    store.finishJob({ key, status: 'done', costUsd: 0.002 });
  }
  const writeMs = performance.now() - started;
  const exportStart = performance.now();
  const text = exportTable(store, { table: 'forecasts', format: 'jsonl' });
  const exportMs = performance.now() - exportStart;
  store.close();
  const file = join(dir, 'forecasts.jsonl');
  writeFileSync(file, text);
  const target = Store.open(join(dir, 'copy.db'));
  const importStart = performance.now();
  importFile(target, { file });
  const importMs = performance.now() - importStart;
  target.close();

  const jobsPerSecond = JOBS / (writeMs / 1000);
  console.log(`store: ${JOBS} paid jobs (start + forecast + finish) in ${writeMs.toFixed(0)} ms = ${jobsPerSecond.toFixed(0)} jobs/s`);
  console.log(`       ratio to the ${TARGET_JOBS_PER_SECOND} jobs/s target: ${(jobsPerSecond / TARGET_JOBS_PER_SECOND).toFixed(2)} (higher is better)`);
  console.log(`       export ${JOBS} forecasts as JSONL: ${exportMs.toFixed(0)} ms (${(text.length / 1e6).toFixed(1)} MB); import: ${importMs.toFixed(0)} ms`);
  console.log(`       peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
