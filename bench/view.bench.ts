/**
 * Benchmark of the run viewer on a large run: synthesizes a market run of 500 tasks (4 workers,
 * 3 arms: bids with score parts, clearing rounds, router calls, attempts with 8-step trajectories,
 * diffs and judge logs, sized like real bash-agent runs) and a 50-task baseline, writes each
 * viewer, opens it in headless Chromium and prints the file size, the time to first meaningful
 * render (the task table on screen), and the time until a click into a task shows its attempts.
 * Target: the 500-task run opens in under 2 s. No model, no sandbox: the store rows are
 * synthesized directly, so the figures measure the viewer alone.
 * Run: npm run bench:view
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { writeView } from '../src/report/view/write-view.js';
import { jobKey, Store } from '../src/runtime/store/index.js';

const TARGET_MS = 2000;
const WORKERS = ['gpt-5.2/bash', 'claude-sonnet-4-5/bash', 'gemini-3-pro/bash', 'gpt-5-mini/bash'];
const ARMS = ['scoring', 'central', `solo:${WORKERS[0]}`];
const STEPS = 8;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Deterministic filler text of about `length` characters (a seeded LCG; no Math.random). */
function filler(seed: number, length: number): string {
  const words = ['def', 'return', 'self', 'assert', 'import', 'tests', 'passed', 'failed', 'src/models.py', 'line', 'value', 'None', 'raise', 'Error', 'queryset'];
  let state = seed >>> 0;
  let text = '';
  while (text.length < length) {
    state = (state * 1664525 + 1013904223) >>> 0;
    text += `${words[state % words.length]}${state % 7 === 0 ? '\n' : ' '}`;
  }
  return text;
}

/** Writes a synthesized market run of `tasks` tasks into a new store; returns its file. */
function synthesizeRun(dir: string, tasks: number): string {
  const file = join(dir, `view-${tasks}.db`);
  const store = Store.open(file);
  try {
    const runId = `market-bench-${tasks}`;
    store.createRun({ kind: 'market', id: runId });
    store.upsertTasks(
      Array.from({ length: tasks }, (_, index) => ({
        id: `repo__project-${10_000 + index}`,
        suite: 'swebench',
        title: `Fix issue ${index} in the query compiler`,
        statement: filler(index, 1500),
        tests: { failToPass: ['tests/test_query.py::test_case'], passToPass: [] },
        features: {},
        metadata: {},
      })),
    );
    store.transaction(() => {
      for (let index = 0; index < tasks; index++) {
        const taskId = `repo__project-${10_000 + index}`;
        const bids = WORKERS.map((workerId, w) => {
          const p = ((index * 7 + w * 13) % 90) / 100 + 0.05;
          const key = jobKey({ run: runId, task: taskId, worker: workerId, treatment: 'bid', repeat: 0 });
          store.putForecast({
            runId,
            jobKey: key,
            forecast: { taskId, workerId, treatment: 'bid', repeat: 0, pSuccess: p, expectedTokens: 40_000, ask: 20 + w, valid: true, invalidReason: null, rawText: '{}', rationale: filler(index + w, 160) },
            inputTokens: 2500,
            outputTokens: 120,
            costUsd: 0.004,
          });
          return { workerId, p, ask: 20 + w, e: 3.1, phi: 9 * (0.5 + p), score: p * 90 - 20 - w - 3.1 - (1 - p) * 9 * (0.5 + p) };
        });
        for (const [a, arm] of ARMS.entries()) {
          const workerId = WORKERS[(index + a) % WORKERS.length] as string;
          const attemptKey = jobKey({ run: runId, task: taskId, worker: workerId, kind: 'attempt', repeat: 0, round: 1, arm });
          const resolved = (index + a) % 3 !== 0;
          store.putAttempt({
            runId,
            jobKey: attemptKey,
            attempt: {
              taskId,
              workerId,
              round: 1,
              outcome: { resolved, inputTokens: 90_000, outputTokens: 6000, cachedTokens: 0, costUsd: 0.21, wallTimeMs: 95_000, trajectoryRef: null, exitReason: 'submitted' },
            },
            trajectory: {
              steps: Array.from({ length: STEPS }, (_, s) => ({
                index: s + 1,
                reply: `THOUGHT: step ${s + 1}. ${filler(index * 31 + s, 300)}`,
                command: `grep -rn "compile" src/ | head -${20 + s}`,
                exitCode: 0,
                observation: filler(index * 17 + s, 1500),
                costUsd: 0.026,
                usage: { inputTokens: 11_000, outputTokens: 700 },
              })),
              patch: `diff --git a/src/models.py b/src/models.py\n${filler(index + 5, 1500)}`,
              exitReason: 'submitted',
              evaluation: { resolved, patchApplied: true, detail: resolved ? 'all named tests passed' : '1 named test failed', log: filler(index + 9, 3000), passed: [], failed: [] },
            },
          });
          store.putAllocation({
            runId,
            allocation: {
              taskId,
              mechanism: arm,
              round: 1,
              workerIds: [workerId],
              payments: [{ workerId, amount: 20, reason: 'ask' }],
              detail: {
                ...(arm === 'scoring' && { bids }),
                ...(arm === 'central' && { router: { model: 'openai:gpt-5.2-pro', choice: workerId, reason: filler(index, 120), valid: true, costUsd: 0.012 } }),
                attempts: [{ jobKey: attemptKey }],
              },
            },
          });
        }
      }
    });
  } finally {
    store.close();
  }
  return file;
}

interface ViewFigures {
  tasks: number;
  writeMs: number;
  bytes: number;
  firstRenderMs: number;
  taskClickMs: number;
}

async function measure(dir: string, tasks: number, browser: Awaited<ReturnType<typeof chromium.launch>>): Promise<ViewFigures> {
  const db = synthesizeRun(dir, tasks);
  const writeStart = performance.now();
  const written = writeView({ dbFile: db, outFile: join(dir, `view-${tasks}.html`) });
  const writeMs = performance.now() - writeStart;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const start = performance.now();
    await page.goto(`file://${written.file}`, { waitUntil: 'commit' });
    await page.locator('a.task-link').nth(tasks - 1).waitFor({ state: 'attached' });
    await page.locator('a.task-link').first().waitFor({ state: 'visible' });
    const firstRenderMs = performance.now() - start;
    const clickStart = performance.now();
    await page.locator('a.task-link').nth(Math.floor(tasks / 2)).click();
    await page.locator('details.attempt pre.command').first().waitFor({ state: 'visible' });
    const taskClickMs = performance.now() - clickStart;
    return { tasks, writeMs, bytes: statSync(written.file).size, firstRenderMs, taskClickMs };
  } finally {
    await page.close();
  }
}

if (!CHROMIUM) {
  console.log('bench:view needs Chromium at /usr/bin/chromium; skipped');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-view-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    // One warm-up open so the first measurement does not pay for the browser's own start.
    await measure(dir, 5, browser);
    const baseline = await measure(dir, 50, browser);
    const large = await measure(dir, 500, browser);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log('run viewer        50 tasks      500 tasks     ratio');
    console.log(`file size         ${mib(baseline.bytes).padEnd(13)} ${mib(large.bytes).padEnd(13)} ${(large.bytes / baseline.bytes).toFixed(1)}×`);
    console.log(`write view        ${`${baseline.writeMs.toFixed(0)} ms`.padEnd(13)} ${`${large.writeMs.toFixed(0)} ms`.padEnd(13)} ${(large.writeMs / baseline.writeMs).toFixed(1)}×`);
    console.log(`first render      ${`${baseline.firstRenderMs.toFixed(0)} ms`.padEnd(13)} ${`${large.firstRenderMs.toFixed(0)} ms`.padEnd(13)} ${(large.firstRenderMs / baseline.firstRenderMs).toFixed(1)}×`);
    console.log(`click into task   ${`${baseline.taskClickMs.toFixed(0)} ms`.padEnd(13)} ${`${large.taskClickMs.toFixed(0)} ms`.padEnd(13)} ${(large.taskClickMs / baseline.taskClickMs).toFixed(1)}×`);
    const interactive = large.firstRenderMs + large.taskClickMs;
    console.log(`500 tasks: first render ${large.firstRenderMs.toFixed(0)} ms, a task's attempts on screen ${interactive.toFixed(0)} ms after opening (target < ${TARGET_MS} ms): ${large.firstRenderMs < TARGET_MS ? 'met' : 'NOT met'}`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
