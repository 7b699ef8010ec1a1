import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/index.js';
import { runElicitation } from '../../src/runtime/elicit/index.js';
import type { PricingTable } from '../../src/runtime/providers/index.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { sampleAttempt, sampleForecast } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const PRICE = { inputPerToken: 1e-6, outputPerToken: 4e-6, cachedInputPerToken: 5e-7 };
// One model per wire format: the export must read the prompt back out of each.
const MODELS = ['openai:gpt-resp', 'openai-chat:gpt-chat', 'anthropic:claude-test', 'google:gemini-test'];
const table: PricingTable = { version: 'test', models: Object.fromEntries(MODELS.map((model) => [model, PRICE])) };
const KEYS = { OPENAI_API_KEY: 'sk-openai-SECRET-1', ANTHROPIC_API_KEY: 'sk-ant-SECRET-2', GOOGLE_GENERATIVE_AI_API_KEY: 'AIza-SECRET-3' };
const TASKS = 10;

const tasks: Task[] = Array.from({ length: TASKS }, (_, i) => ({
  id: `org__pkg-${i}`,
  suite: 'custom',
  title: `Task ${i}`,
  repo: 'org/pkg',
  statement: `Problem ${i}: the parser drops {{ braces }}.`,
  tests: { failToPass: [`test_${i}`], passToPass: [] },
  features: {},
  metadata: {},
}));

/** Every worker says 0.9 on even tasks and 0.6 on odd ones; the even tasks are the ones that fail. */
const stated = (task: number) => (task % 2 === 0 ? 0.9 : 0.6);

let server: FakeLlmServer;
let dir: string;
let runId: string;
beforeAll(async () => {
  server = await startFakeLlmServer();
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  server.setScript((request) => {
    const task = Number(/Task id: org__pkg-(\d+)/.exec(request.prompt)?.[1]);
    return `{"p_success": ${stated(task)}, "expected_tokens": 1000}`;
  });
  dir = tempDir();
  const store = Store.open(join(dir, 'mb.db'));
  const result = await runElicitation({
    store,
    tasks,
    tasksSource: 'inline',
    models: MODELS,
    concurrency: 4,
    env: KEYS,
    baseUrl: server.baseUrl('openai-chat'),
    pricingTable: table,
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5, jitter: false, timeoutMs: 2000 },
  });
  runId = result.runId;
  // Judged attempts (an attempt run) for tasks 0–7: even tasks fail, odd ones pass. Task 8 has an
  // outcome from a named external evaluation only; task 9 has only a simulated outcome.
  store.createRun({ kind: 'attempt', id: 'judged' });
  store.createRun({ kind: 'import', id: 'ext' });
  store.createRun({ kind: 'simulate', id: 'sim' });
  // The paper's kind of row: a stated p with no request stored.
  store.createRun({ kind: 'import', id: 'paper' });
  for (const model of MODELS) {
    for (let i = 0; i < 8; i++) {
      store.putAttempt({ runId: 'judged', jobKey: `a-${model}-${i}`, attempt: sampleAttempt(`org__pkg-${i}`, model, i % 2 === 1) });
    }
    const external = sampleAttempt('org__pkg-8', model, true);
    store.putAttempt({
      runId: 'ext',
      jobKey: `e-${model}`,
      attempt: { ...external, outcome: { ...external.outcome, inputTokens: 0, outputTokens: 0, costUsd: 0.25, trajectoryRef: 'swebench-report:report.json' } },
    });
    store.putAttempt({ runId: 'sim', jobKey: `s-${model}`, attempt: sampleAttempt('org__pkg-9', model, true) });
    store.putForecast({ runId: 'paper', jobKey: `p-${model}`, forecast: sampleForecast('org__pkg-0', model, 0.7) });
  }
  store.close();
});
afterAll(async () => {
  await server.close();
});

interface SftLine {
  messages: { role: string; content: string }[];
  metadata: { task_id: string; worker_id: string; split: string; label_source: string };
}

function readLines(file: string): { header: Record<string, unknown>; records: unknown[] } {
  const [head, ...rest] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: (JSON.parse(head!) as { marketbench_training_export: Record<string, unknown> }).marketbench_training_export, records: rest.map((line) => JSON.parse(line)) };
}

describe('marketbench export training', () => {
  it('writes the prompt as sent, the calibrated target and the actual tokens; skips with reasons; splits by task', async () => {
    const result = await runCli(['export', 'training', '--db', 'mb.db', '--format', 'sft', '--out', 'sft.jsonl'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { header, records } = readLines(join(dir, 'sft.jsonl'));
    const lines = records as SftLine[];
    // 4 workers × 9 labelled tasks (0–7 judged, 8 external); task 9 (simulated) and the paper rows skipped.
    expect(lines).toHaveLength(36);
    expect(header.label_sources).toEqual({
      'judged attempt (attempt run judged)': 32,
      'external evaluation (swebench-report:report.json)': 4,
    });
    expect(header.skipped).toEqual({
      'no judged or external outcome for this task and worker': 4,
      'no stored request (imported rows, e.g. the paper’s, keep only the stated p)': 4,
    });
    // The user message is exactly what the model server received for that task and model.
    for (const line of lines) {
      const sent = server.requests.find((r) => r.prompt.includes(`Task id: ${line.metadata.task_id}\n`) && line.metadata.worker_id.endsWith(r.model));
      expect(sent, `${line.metadata.worker_id} ${line.metadata.task_id}`).toBeDefined();
      const user = line.messages.filter((m) => m.role === 'user');
      expect(user.at(-1)!.content).toBe(sent!.prompt);
      expect(line.messages.find((m) => m.role === 'system')!.content).toBe(sent!.system);
      const answer = JSON.parse(line.messages.at(-1)!.content) as { p_success: number; expected_tokens: number };
      // Judged attempts used 120,000 + 8,000 tokens; the external one only reports $0.25, so
      // T = c / π with π = (1e-6 + 4e-6) / 2 = 2.5e-6: 100,000 tokens.
      expect(answer.expected_tokens).toBe(line.metadata.task_id === 'org__pkg-8' ? 100_000 : 128_000);
    }
    // No task on both sides.
    const sides = new Map<string, Set<string>>();
    for (const line of lines) sides.set(line.metadata.task_id, (sides.get(line.metadata.task_id) ?? new Set()).add(line.metadata.split));
    expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
    expect(header.train as number).toBeGreaterThan(0);
    expect(header.validation as number).toBeGreaterThan(0);
  });

  it('preference pairs prefer the answer closer to the outcome', async () => {
    const result = await runCli(['export', 'training', '--db', 'mb.db', '--format', 'preference', '--out', 'pref.jsonl'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { records } = readLines(join(dir, 'pref.jsonl'));
    expect(records.length).toBeGreaterThan(0);
    for (const record of records as { chosen: { content: string }[]; rejected: { content: string }[]; metadata: { task_id: string } }[]) {
      const task = Number(record.metadata.task_id.split('-').pop());
      const y = task === 8 || task % 2 === 1 ? 1 : 0;
      const p = (side: { content: string }[]) => (JSON.parse(side[0]!.content) as { p_success: number }).p_success;
      expect((p(record.chosen) - y) ** 2).toBeLessThan((p(record.rejected) - y) ** 2);
    }
  });

  it('jsonl keeps the stored request body and the raw reply', async () => {
    const result = await runCli(['export', 'training', '--db', 'mb.db', '--run', runId, '--format', 'jsonl', '--out', 'raw.jsonl'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { records } = readLines(join(dir, 'raw.jsonl'));
    const first = records[0] as { request: { model?: string }; reply: string; stated: { p_success: number }; outcome: { resolved: boolean } };
    expect(first.reply).toMatch(/"p_success": 0\.[69]/);
    expect(JSON.stringify(first.request)).toContain('Task id: org__pkg-');
    expect(JSON.stringify(records)).not.toContain('SECRET');
  });

  it('--target empirical --smoothing 1: each worker\'s Laplace-smoothed outcome rate on training tasks, own task left out', async () => {
    const result = await runCli(['export', 'training', '--db', 'mb.db', '--format', 'sft', '--target', 'empirical', '--smoothing', '1', '--out', 'emp.jsonl'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { header, records } = readLines(join(dir, 'emp.jsonl'));
    expect(String(header.target)).toContain('(resolved + 1) / (rows + 2·1)');
    const lines = records as SftLine[];
    expect(lines).toHaveLength(36);
    // Outcomes by hand: even tasks 0–6 fail, odd 1–7 pass, task 8 (external) passes; one row per (worker, task).
    const y = (taskId: string) => {
      const task = Number(taskId.split('-').pop());
      return task === 8 || task % 2 === 1 ? 1 : 0;
    };
    for (const line of lines) {
      const mine = lines.filter((other) => other.metadata.worker_id === line.metadata.worker_id && other.metadata.split === 'train');
      const counted = line.metadata.split === 'train' ? mine.filter((other) => other.metadata.task_id !== line.metadata.task_id) : mine;
      const resolved = counted.filter((other) => y(other.metadata.task_id) === 1).length;
      const expected = (resolved + 1) / (counted.length + 2);
      const answer = JSON.parse(line.messages.at(-1)!.content) as { p_success: number };
      expect(answer.p_success).toBeCloseTo(expected, 4);
    }
    const stray = await runCli(['export', 'training', '--db', 'mb.db', '--format', 'sft', '--smoothing', '2', '--out', 'stray.jsonl'], { cwd: dir });
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain('--smoothing applies to empirical targets only');
    expect(existsSync(join(dir, 'stray.jsonl'))).toBe(false);
  });

  it('says why when nothing can be exported, and writes nothing', async () => {
    const result = await runCli(['export', 'training', '--db', 'mb.db', '--run', 'judged', '--format', 'sft', '--out', 'none.jsonl'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('run judged has no forecasts or bids');
    expect(existsSync(join(dir, 'none.jsonl'))).toBe(false);
    const missing = await runCli(['export', 'training', '--db', 'nope.db', '--format', 'sft', '--out', 'x.jsonl'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.db: no such store file');
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
  });
});

describe('marketbench recalibrate', () => {
  it('fits a map on the worker’s labelled rows, and refuses with a message below the minimum', async () => {
    // openai-chat:gpt-chat has 11 labelled rows (recalibration uses every labelled forecast,
    // requests or not; the simulated outcome counts here as history): p 0.9 on the 5 even tasks
    // (0/2/4/6 failed, 8 passed: 1/5), p 0.6 on the 5 odd tasks (1/3/5/7 passed, 9 passed: 5/5), and
    // the paper-style p 0.7 on task 0 (failed: 0/1). By p: 0.6 → 1.0, 0.7 → 0, 0.9 → 0.2 violates
    // monotonicity throughout, so PAV pools all eleven: 6/11.
    const few = await runCli(['recalibrate', '--db', 'mb.db', '--worker', 'openai-chat:gpt-chat', '--out', 'map.json'], { cwd: dir });
    expect(few.code).toBe(1);
    expect(few.stderr).toContain("worker 'openai-chat:gpt-chat' has 11 labelled row(s)");
    expect(existsSync(join(dir, 'map.json'))).toBe(false);
    const ok = await runCli(['recalibrate', '--db', 'mb.db', '--worker', 'openai-chat:gpt-chat', '--min-rows', '11', '--out', 'map.json'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const map = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8')) as { rows: number; positives: number; fit: { x: number[]; y: number[] } };
    expect(map.rows).toBe(11);
    expect(map.positives).toBe(6);
    expect(map.fit.y).toHaveLength(1);
    expect(map.fit.y[0]).toBeCloseTo(6 / 11, 12);
  });
});
