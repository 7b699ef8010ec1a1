import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recalibrations } from '../../src/runtime/store/recalibration-rows.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { sampleAttempt } from '../support/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const MODEL = 'openai-chat:gpt-chat';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  // Task 0: p 0.9; task 1: p 0.6.
  server.setScript((request) => `{"p_success": ${request.prompt.includes('Task id: org__pkg-0\n') ? 0.9 : 0.6}, "expected_tokens": 500}`);
});
afterAll(async () => {
  await server.close();
});

describe('elicit --recalibrate and analyze', () => {
  it('stores the recalibrated p beside the raw one, and analyze shows both', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tasks.jsonl'), ['0', '1'].map((i) => JSON.stringify({ id: `org__pkg-${i}`, statement: `Problem ${i}`, repo: 'org/pkg' })).join('\n'));
    writeFileSync(join(dir, 'prices.yaml'), `version: t1\nmodels:\n  "${MODEL}": { inputPerMillion: 1, outputPerMillion: 4 }\n`);
    // An isotonic map through (0.6, 0.3) and (0.9, 0.5): at its own knots it returns the knot values.
    const map = { format: 'marketbench-calibration-map', version: 1, workerId: MODEL, method: 'isotonic', rows: 40, positives: 16, tasks: 40, source: 'old.db', fit: { x: [0.6, 0.9], y: [0.3, 0.5] } };
    writeFileSync(join(dir, 'map.json'), JSON.stringify(map));
    const env = { OPENAI_API_KEY: 'sk-test-1' };
    const base = ['elicit', '--tasks', 'tasks.jsonl', '--models', MODEL, '--db', 'mb.db', '--base-url', server.baseUrl('openai-chat'), '--pricing', 'prices.yaml'];

    // A map for a worker not in the run is refused before any call.
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...map, workerId: 'anthropic:claude' }));
    const refused = await runCli([...base, '--recalibrate', 'other.json'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the map is for worker 'anthropic:claude'");
    expect(server.requests).toHaveLength(0);

    const result = await runCli([...base, '--recalibrate', 'map.json'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`recalibrated 2 forecast(s) of ${MODEL}`);
    const store = Store.open(join(dir, 'mb.db'));
    const forecasts = store.getForecasts();
    expect(forecasts.map((f) => f.pSuccess).sort()).toEqual([0.6, 0.9]);
    const rows = recalibrations(store);
    expect(rows.map((r) => [r.taskId, r.pRaw, r.pRecalibrated])).toEqual([
      ['org__pkg-0', 0.9, 0.5],
      ['org__pkg-1', 0.6, 0.3],
    ]);
    // Outcomes: task 0 fails, task 1 passes.
    store.createRun({ kind: 'attempt', id: 'judged' });
    store.putAttempt({ runId: 'judged', jobKey: 'a0', attempt: sampleAttempt('org__pkg-0', MODEL, false) });
    store.putAttempt({ runId: 'judged', jobKey: 'a1', attempt: sampleAttempt('org__pkg-1', MODEL, true) });
    store.close();

    const analysis = await runCli(['analyze', '--db', 'mb.db', '--resamples', '0'], { cwd: dir });
    expect(analysis.code, analysis.stderr).toBe(0);
    // Raw Brier ((0.9 − 0)² + (0.6 − 1)²)/2 = (0.81 + 0.16)/2 = 0.485; recalibrated (0.25 + 0.49)/2 = 0.37.
    // ECE: raw bins [0.9, 1.0] |0.9 − 0| and [0.6, 0.7) |0.6 − 1| → (0.9 + 0.4)/2 = 0.65;
    // recalibrated [0.5, 0.6) |0.5 − 0| and [0.3, 0.4) |0.3 − 1| → (0.5 + 0.7)/2 = 0.6.
    expect(analysis.stdout).toMatch(new RegExp(`${MODEL} +\\| +2 +\\| +0\\.4850 +\\| +0\\.3700 +\\| +0\\.6500 +\\| +0\\.6000`));
    const json = await runCli(['analyze', '--db', 'mb.db', '--resamples', '0', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as { recalibration?: { workerId: string; brierRecalibrated: number }[] };
    expect(parsed.recalibration?.[0]?.brierRecalibrated).toBeCloseTo(0.37, 12);
  });
});
