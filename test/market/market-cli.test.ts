import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';
import { marketScript, PRICING_YAML, requestKind, requestTask, routerRound, TASK_IDS, WORKERS_YAML } from './market-fixtures.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping market end-to-end tests: ${availability.reason}`);

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: marketScript() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  server.setScript(marketScript());
  dir = mkdtempSync(join(tmpdir(), 'mb-market-'));
  writeFileSync(join(dir, 'market.yaml'), WORKERS_YAML);
  writeFileSync(join(dir, 'pricing.yaml'), PRICING_YAML);
  return () => rmSync(dir, { recursive: true, force: true });
});

function market(extra: string[]) {
  return runCli(
    ['market', '--suite', 'builtin', '--task-ids', TASK_IDS.join(','), '--workers', 'market.yaml', '--pricing', 'pricing.yaml', '--base-url', server.baseUrl('openai-chat'), ...extra],
    { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } },
  );
}

function cells(line: string | undefined): string[] | undefined {
  return line?.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** The cells of an arm's row in the printed arms table. */
function armRow(stdout: string, arm: string): string[] | undefined {
  return cells(stdout.split('\n').find((text) => text.startsWith(`| ${arm} `)));
}

/** One cell of an arm's row, by the arms table's column name. */
function armCell(stdout: string, arm: string, column: string): string | undefined {
  const header = cells(stdout.split('\n').find((text) => text.startsWith('| arm ')));
  return armRow(stdout, arm)?.[header?.indexOf(column) ?? -1];
}

function withStore<T>(file: string, read: (store: Store) => T): T {
  const store = Store.open(join(dir, file));
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe.skipIf(!availability.ok)('marketbench market (scripted models over HTTP, real sandbox, real tests)', () => {
  it('the overconfident worker wins round 1, fails, is excluded, and loses round 2 to the careful one; router and solo on the same tasks', async () => {
    const result = await market(['--arms', 'scoring,router,solo:careful', '--db', 'm.db', '--concurrency', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| scoring\s+\|\s+2\/2 \|/);
    expect(result.stdout).toMatch(/\| router\s+\|\s+2\/2 \|/);
    expect(result.stdout).toMatch(/\| solo:careful\s+\|\s+2\/2 \|/);

    const requests = server.requests;
    // The router is called exactly once per task and round: bold in round 1, careful in round 2.
    const routerCalls = requests.filter((request) => requestKind(request) === 'router').map((request) => `${requestTask(request)}#${routerRound(request)}`);
    expect(routerCalls.sort()).toEqual(['paginate-first-page#1', 'paginate-first-page#2', 'slugify-spaces#1', 'slugify-spaces#2']);
    // Bids once per task and worker (only the scoring arm uses them).
    expect(requests.filter((request) => requestKind(request) === 'bid')).toHaveLength(4);
    // Agent calls per task: scoring bold 1 + careful 2, router the same, solo careful 2 = 8.
    expect(requests.filter((request) => requestKind(request) === 'agent')).toHaveLength(16);

    withStore('m.db', (store) => {
      const run = store.listRuns()[0];
      expect(run?.kind).toBe('market');
      expect(run?.status).toBe('done');
      const runId = run?.id as string;
      for (const taskId of TASK_IDS) {
        const scoring = store.getAllocations({ runId, mechanism: 'scoring' }).filter((row) => row.taskId === taskId);
        expect(scoring.map((row) => [row.round, row.workerIds])).toEqual([
          [1, ['bold']],
          [2, ['careful']],
        ]);
        // Scores by hand (B = 90 credits, 10 credits per USD, e = 1000 tokens × blended price × 10):
        // bold: e = 1000 × 1e-6 × 10 = 0.01, φ = 0.1·90·1.45 = 13.05, 0.95·90 − 10 − 0.01 − 0.05·13.05 = 74.8375;
        // careful: e = 0.005, φ = 9.9, 0.6·90 − 10 − 0.005 − 0.4·9.9 = 40.035.
        const first = scoring[0]?.detail as { scores: Record<string, number>; bids: { workerId: string; e: number; phi: number; fallback: boolean }[]; attempts: { resolved: boolean }[] };
        expect(first.scores.bold).toBeCloseTo(74.8375, 9);
        expect(first.scores.careful).toBeCloseTo(40.035, 9);
        expect(first.bids.map((bid) => [bid.workerId, bid.fallback])).toEqual([
          ['bold', false],
          ['careful', false],
        ]);
        expect(first.bids[0]?.phi).toBeCloseTo(13.05, 9);
        expect(first.attempts.map((attempt) => attempt.resolved)).toEqual([false]);
        // Round 2 clears on the careful worker's bid alone; the evaluator judged its attempt resolved.
        const second = scoring[1]?.detail as { scores: Record<string, number>; attempts: { workerId: string; resolved: boolean }[] };
        expect(Object.keys(second.scores)).toEqual(['careful']);
        expect(second.attempts).toEqual([expect.objectContaining({ workerId: 'careful', resolved: true })]);
        // The router arm is stored as `central` (what replay reads), one row per round.
        const central = store.getAllocations({ runId, mechanism: 'central' }).filter((row) => row.taskId === taskId);
        expect(central.map((row) => [row.round, row.workerIds])).toEqual([
          [1, ['bold']],
          [2, ['careful']],
        ]);
        expect((central[0]?.detail as { router?: unknown } | undefined)?.router).toMatchObject({ valid: true, model: 'openai-chat:router' });
        const solo = store.getAllocations({ runId, mechanism: 'solo:careful' }).filter((row) => row.taskId === taskId);
        expect(solo.map((row) => [row.round, row.workerIds])).toEqual([[1, ['careful']]]);
      }
      // Bids are forecasts with treatment `bid`, raw request and response kept.
      const bids = store.db.prepare("SELECT worker_id, p_success, ask, request, response FROM forecasts WHERE treatment = 'bid' ORDER BY task_id, worker_id").all() as Record<string, unknown>[];
      expect(bids.map((row) => [row.worker_id, row.p_success, row.ask])).toEqual([
        ['bold', 0.95, 10],
        ['careful', 0.6, 10],
        ['bold', 0.95, 10],
        ['careful', 0.6, 10],
      ]);
      for (const row of bids) {
        expect(row.request).not.toBeNull();
        expect(row.response).not.toBeNull();
      }
      // Attempts: scoring 2 + router 2 + solo 1 per task, round 2 stored as such.
      const attempts = store.getAttempts({ runId });
      expect(attempts).toHaveLength(10);
      expect(attempts.filter((attempt) => attempt.round === 2).map((attempt) => [attempt.workerId, attempt.outcome.resolved])).toEqual([
        ['careful', true],
        ['careful', true],
        ['careful', true],
        ['careful', true],
      ]);
      // Real money (usage × price), per task: bids 550 × 1e-6 + 550 × 5e-7 = 0.000825; a bold attempt 1100 × 1e-6 = 0.0011;
      // a careful attempt 2 × 1100 × 5e-7 = 0.0011; a router call 820 × 2e-6 = 0.00164.
      // Scoring 0.000825 + 0.0022, router 2 × 0.00164 + 0.0022, solo 0.0011 → 2 tasks: 0.01921.
      expect(store.jobSpendUsd(runId)).toBeCloseTo(0.01921, 12);
    });
    // Cost per solve on the table: scoring (0.0044 + 0.00165) / 2 = 0.003025; router (0.0044 + 0.00656) / 2 = 0.00548.
    expect(result.stdout).toMatch(/\| scoring .*\$0\.0030 \|/);
    expect(result.stdout).toMatch(/\| router .*\$0\.0055 \|/);
  });

  it('a worker that does not bid in time gets the fallback bid; unusable router replies fall back to the cheapest eligible worker', async () => {
    server.setScript(
      marketScript({
        // bold's bid never arrives; the router names a stranger on one task and answers in prose on the other.
        bids: { bold: { fault: 'hang' } },
        router: (taskId) => (taskId === 'slugify-spaces' ? JSON.stringify({ worker: 'gpt-9', reason: 'best' }) : 'I would pick the best one.'),
      }),
    );
    const result = await market(['--arms', 'scoring,router', '--db', 'f.db', '--bid-timeout-seconds', '0.5']);
    expect(result.code, result.stderr).toBe(0);
    withStore('f.db', (store) => {
      const runId = store.listRuns()[0]?.id as string;
      for (const taskId of TASK_IDS) {
        // Fallback for bold: a = 0.4·90 = 36, p = 0.5, and e = 0 (no history in the store and no token
        // forecast): 45 − 36 − 0 − 0.5·(0.1·90·1.0) = 4.5, below careful's 40.035, so careful wins round 1 and solves.
        const [round1, ...rest] = store.getAllocations({ runId, mechanism: 'scoring' }).filter((row) => row.taskId === taskId);
        expect(rest).toEqual([]);
        expect(round1?.workerIds).toEqual(['careful']);
        const detail = round1?.detail as { scores: Record<string, number>; bids: { workerId: string; ask: number; p: number; e: number; eSource: string; fallback: boolean; reason: string | null }[] };
        expect(detail.scores.bold).toBeCloseTo(4.5, 9);
        expect(detail.bids[0]).toMatchObject({ workerId: 'bold', ask: 36, p: 0.5, e: 0, eSource: 'none', fallback: true, reason: 'no bid within 0.5 s' });
        // The router's reply could not be used: recorded with its reason; the cheapest eligible worker (careful) decides.
        const [routed] = store.getAllocations({ runId, mechanism: 'central' }).filter((row) => row.taskId === taskId);
        expect(routed?.workerIds).toEqual(['careful']);
        const router = (routed?.detail as { router: { valid: boolean; fallback: boolean; invalidReason: string } } | undefined)?.router;
        expect(router?.valid).toBe(false);
        expect(router?.fallback).toBe(true);
        expect(router?.invalidReason).toBe(taskId === 'slugify-spaces' ? "unknown worker 'gpt-9'" : 'no JSON object with a "worker" field in the reply');
      }
      const invalid = store.db.prepare("SELECT worker_id, valid, invalid_reason FROM forecasts WHERE treatment = 'bid' AND worker_id = 'bold'").all();
      expect(invalid).toEqual([
        { worker_id: 'bold', valid: 0, invalid_reason: 'no bid within 0.5 s' },
        { worker_id: 'bold', valid: 0, invalid_reason: 'no bid within 0.5 s' },
      ]);
    });
    // Fallbacks on the table: scoring 2 fallback bids, router 2 unusable replies.
    expect(armCell(result.stdout, 'scoring', 'fallbacks')).toBe('2');
    expect(armCell(result.stdout, 'router', 'fallbacks')).toBe('2');
  });

  it('replaying the stored run gives the same allocations (router choices from the store, scoring on the stored bids)', async () => {
    // USD bounty so the replay's bids (e = tokens × blended price, in USD) are the live ones.
    server.setScript(marketScript({ bids: { bold: JSON.stringify({ p_success: 0.95, expected_tokens: 1000, ask: 0.1 }), careful: JSON.stringify({ p_success: 0.6, expected_tokens: 1000, ask: 0.1 }) } }));
    const live = await market(['--arms', 'scoring,router,parallel', '--db', 'r.db', '--share-attempts', '--bounty', '2usd', '--run', 'live']);
    expect(live.code, live.stderr).toBe(0);
    const stored = withStore('r.db', (store) => store.getAllocations({ runId: 'live' }));
    const sequence = (mechanism: string, taskId: string) =>
      stored.filter((row) => row.mechanism === mechanism && row.taskId === taskId).sort((a, b) => a.round - b.round).flatMap((row) => row.workerIds);
    // With shared attempts every (task, worker) was attempted once (the parallel arm tried both), so the run is a full matrix.
    expect(withStore('r.db', (store) => store.getAttempts({ runId: 'live' }))).toHaveLength(4);
    const replay = await runCli(
      ['replay', '--db', 'r.db', '--run', 'live', '--mechanisms', 'central,scoring:bounty=2:penaltyRate=0.1,parallel-all', '--format', 'json', '--per-task', '--resamples', '0'],
      { cwd: dir },
    );
    expect(replay.code, replay.stderr).toBe(0);
    const report = JSON.parse(replay.stdout) as { mechanisms: Record<string, { perTask: { taskId: string; attempts: { workerId: string }[] }[] }> };
    for (const [replayed, live] of [
      ['central', 'central'],
      ['scoring:bounty=2:penaltyRate=0.1', 'scoring'],
      ['parallel-all', 'parallel'],
    ] as const) {
      for (const task of report.mechanisms[replayed]?.perTask ?? []) {
        expect(task.attempts.map((attempt) => attempt.workerId), `${replayed} ${task.taskId}`).toEqual(sequence(live, task.taskId));
      }
      expect(report.mechanisms[replayed]?.perTask).toHaveLength(2);
    }
    // The live router chose bold, then careful, on both tasks.
    expect(sequence('central', 'slugify-spaces')).toEqual(['bold', 'careful']);
    expect(sequence('scoring', 'slugify-spaces')).toEqual(['bold', 'careful']);

    // The report of the market run shows the arms as the command printed them: bold fails and
    // careful resolves, so every arm solves both tasks (the router and scoring in round 2).
    const html = await runCli(['report', '--db', 'r.db', '--run', 'live', '--out', 'live.html', '--resamples', '50'], { cwd: dir });
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(dir, 'live.html'), 'utf8');
    expect(page).toContain('<section id="live-market">');
    expect(page).toContain('<figure id="chart-market-arms">');
    for (const arm of ['scoring', 'router', 'parallel']) expect(page, arm).toContain(`<tr><td>${arm}</td><td class="num">2/2</td>`);
  });

  it('each arm spends only its share of the budget; a rerun with more budget finishes without repeating any finished call', async () => {
    // $0.01 over two arms: $0.005 each. The scoring arm's first task costs 0.000825 (bids) + 0.0022 (two attempts)
    // = 0.003025, which leaves less than the pessimistic reservation of bold's next bid (its prompt bytes plus the
    // 1,200-token output cap at $1/M, over $0.0012 + $0.002), so the arm stops after one task. Solo costs 0.0011 a task.
    const tight = await market(['--arms', 'scoring,solo:careful', '--db', 'b.db', '--concurrency', '1', '--budget-usd', '0.01']);
    expect(tight.code, tight.stderr).toBe(0);
    expect(tight.stdout).toContain('arm scoring stopped early (budget)');
    const firstSession = server.requests.map((request) => `${requestKind(request)}|${request.model}|${requestTask(request)}`);
    const ledger = withStore('b.db', (store) => {
      const run = store.listRuns()[0];
      expect(run?.status).toBe('stopped');
      const jobs = store.listJobs({ runId: run?.id as string });
      // Spending per arm, from the ledger's charges: never above the arm's share.
      const perArm: Record<string, number> = {};
      for (const job of jobs) {
        const charges = (job.payload as { charges?: Record<string, number> }).charges ?? {};
        for (const [arm, share] of Object.entries(charges)) perArm[arm] = (perArm[arm] ?? 0) + (job.costUsd ?? 0) * share;
      }
      expect(perArm['solo:careful']).toBeCloseTo(0.0022, 12);
      expect(perArm.scoring).toBeGreaterThanOrEqual(0.003025 - 1e-12);
      expect(perArm.scoring).toBeLessThanOrEqual(0.005);
      expect(store.jobSpendUsd(run?.id as string)).toBeLessThanOrEqual(0.01);
      return jobs.filter((job) => job.kind !== 'market-task').map((job) => ({ kind: job.kind, status: job.status, payload: job.payload as { job: { workerId?: string; taskId: string } } }));
    });
    // The scoring arm finished its first task (in suite order, paginate-first-page) and not the second.
    expect(tight.stdout).toContain('left out (not finished by every arm): slugify-spaces');
    expect(armRow(tight.stdout, 'scoring')?.[1]).toBe('1/1');
    expect(armRow(tight.stdout, 'solo:careful')?.[1]).toBe('1/1');

    server.clear();
    const more = await market(['--arms', 'scoring,solo:careful', '--db', 'b.db', '--concurrency', '1', '--budget-usd', '1']);
    expect(more.code, more.stderr).toBe(0);
    expect(armRow(more.stdout, 'scoring')?.[1]).toBe('2/2');
    expect(armRow(more.stdout, 'solo:careful')?.[1]).toBe('2/2');
    const secondSession = server.requests.map((request) => `${requestKind(request)}|${request.model}|${requestTask(request)}`);
    // No bid finished in the first session is asked again; solo (finished) makes no call at all.
    for (const job of ledger.filter((entry) => entry.kind === 'bid' && entry.status === 'done')) {
      expect(secondSession).not.toContain(`bid|${job.payload.job.workerId}|${job.payload.job.taskId}`);
    }
    expect(secondSession.filter((call) => call.startsWith('agent|careful|')).length).toBe(2);
    // The second session makes exactly the scoring arm's missing calls on slugify-spaces: the bids not yet
    // done, bold's one agent call and careful's two.
    const bidsDone = ledger.filter((entry) => entry.kind === 'bid' && entry.status === 'done' && entry.payload.job.taskId === 'slugify-spaces').length;
    expect(secondSession).toHaveLength(2 - bidsDone + 3);
    expect(firstSession.length + secondSession.length).toBe(5 + 4 + 2 + 3);
  });

  it('reputation: stated p through each worker\'s calibration map from its history in the store; e from its recent tokens; the router sees the record', async () => {
    // History from another run: six tasks on which bold said 0.95 and failed and careful said 0.6 and solved,
    // careful forecasting 1,000 tokens and using 2,200, bold using 1,100.
    const store = Store.open(join(dir, 'h.db'));
    try {
      store.createRun({ kind: 'market', id: 'earlier' });
      for (let i = 0; i < 6; i++) {
        for (const [workerId, p, resolved, tokens] of [
          ['bold', 0.95, false, 1100],
          ['careful', 0.6, true, 2200],
        ] as const) {
          const key = `h-${workerId}-${i}`;
          store.putForecast({ runId: 'earlier', jobKey: `${key}-bid`, forecast: { taskId: `h${i}`, workerId, treatment: 'bid', repeat: 0, pSuccess: p, expectedTokens: 1000, ask: 10, valid: true, invalidReason: null, rawText: null, rationale: null } });
          store.putAttempt({ runId: 'earlier', jobKey: key, attempt: { taskId: `h${i}`, workerId, round: 1, outcome: { resolved, inputTokens: tokens, outputTokens: 0, cachedTokens: 0, costUsd: 0.001, wallTimeMs: 1, trajectoryRef: null, exitReason: 'submitted' } } });
        }
      }
    } finally {
      store.close();
    }
    const result = await market(['--arms', 'scoring,reputation,router', '--router-history', '--db', 'h.db', '--task-ids', 'slugify-spaces']);
    expect(result.code, result.stderr).toBe(0);
    // With history, the router sees each worker's record on the other tasks (means: $0.001 and 1,100 / 2,200 tokens).
    const routerPrompt = server.requests.find((request) => requestKind(request) === 'router')?.prompt ?? '';
    expect(routerPrompt).toContain('- bold: model openai-chat:bold, scaffold bash-agent, $1/M input tokens, $1/M output tokens; record on other tasks: 0 of 6 solved, on average $0.001 and 1100 tokens per attempt');
    expect(routerPrompt).toContain('- careful: model openai-chat:careful, scaffold bash-agent, $0.5/M input tokens, $0.5/M output tokens; record on other tasks: 6 of 6 solved, on average $0.001 and 2200 tokens per attempt');
    withStore('h.db', (reopened) => {
      const runId = reopened.listRuns().find((run) => run.id !== 'earlier')?.id as string;
      const [scoring1, scoring2] = reopened.getAllocations({ runId, mechanism: 'scoring' });
      // Scoring: e from the recent record: bold 1,100 tokens × 1e-6 × 10 = 0.011, careful 2,200 × 5e-7 × 10 = 0.011;
      // bold 85.5 − 10 − 0.011 − 0.6525 = 74.8365 beats careful 54 − 10 − 0.011 − 3.96 = 40.029.
      expect(scoring1?.workerIds).toEqual(['bold']);
      expect(scoring2?.workerIds).toEqual(['careful']);
      const scored = scoring1?.detail as { scores: Record<string, number>; bids: { workerId: string; e: number; eSource: string }[] };
      expect(scored.bids.map((bid) => [bid.workerId, bid.eSource])).toEqual([
        ['bold', 'history'],
        ['careful', 'history'],
      ]);
      expect(scored.scores.bold).toBeCloseTo(74.8365, 9);
      expect(scored.scores.careful).toBeCloseTo(40.029, 9);
      // Reputation: isotonic maps from six rows each: bold's 0.95 → mean outcome 0, clamped to 0.01; careful's
      // 0.6 → 0.99. e = the forecast (1,000 tokens) scaled by the historical ratio (1,100 / 1,000 and 2,200 / 1,000):
      // bold 0.011, careful 0.011. bold: 0.9 − 10 − 0.011 − 0.99·(0.1·90·0.51) < 0, dropped; careful:
      // 89.1 − 10 − 0.011 − 0.01·(0.1·90·1.49) = 78.9549. Careful wins round 1 and solves.
      const reputation = reopened.getAllocations({ runId, mechanism: 'reputation' });
      expect(reputation.map((row) => [row.round, row.workerIds])).toEqual([[1, ['careful']]]);
      const detail = reputation[0]?.detail as { scores: Record<string, number>; calibratedP: Record<string, number> };
      expect(detail.calibratedP.bold).toBeCloseTo(0.01, 12);
      expect(detail.calibratedP.careful).toBeCloseTo(0.99, 12);
      expect(Object.keys(detail.scores)).toEqual(['careful']);
      expect(detail.scores.careful).toBeCloseTo(78.9549, 9);
    });
  });
});

