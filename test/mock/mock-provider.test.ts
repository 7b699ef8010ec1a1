import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callModel } from '../../src/runtime/providers/call-model.js';
import { parseMockModelId, solvesTask, statedProbability, trueSuccessProbability } from '../../src/runtime/providers/mock/mock-policy.js';
import { lookupPricing } from '../../src/runtime/providers/pricing.js';
import { resolveModel } from '../../src/runtime/providers/resolve-model.js';
import { storeResponseCache } from '../../src/runtime/providers/response-cache.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';
import { tempDir } from '../support/temp-dir.js';

const availability = await localSandboxAvailability();

const forecastPrompt = (statement: string) =>
  `Estimate ...\nReply with one JSON object:\n- "p_success": probability\n\nTask id: t1\n\nProblem statement:\n<<<\n${statement}\n>>>`;

describe('mock: model references', () => {
  it('reads style, skill, seed and price, and names what is expected when a part is wrong', () => {
    const policy = parseMockModelId('overconfident?skill=0.25&seed=7&price=3/15');
    expect(policy).toMatchObject({ style: 'overconfident', skill: 0.25, seed: '7' });
    expect(policy.pricing.inputPerToken).toBeCloseTo(3e-6, 15);
    expect(policy.pricing.outputPerToken).toBeCloseTo(15e-6, 15);
    expect(() => parseMockModelId('wise')).toThrow(/expected mock:calibrated, mock:overconfident or mock:underconfident/);
    expect(() => parseMockModelId('calibrated?skill=2')).toThrow(/skill is '2'; expected a number from 0 to 1/);
    expect(() => parseMockModelId('calibrated?price=cheap')).toThrow(/expected IN\/OUT USD per million/);
    expect(() => parseMockModelId('calibrated?temperature=1')).toThrow(/unknown parameter 'temperature'/);
  });

  it('is priced from its own reference (default $1/$5 per million), needs no key', () => {
    expect(lookupPricing('mock:calibrated')?.pricing).toMatchObject({ inputPerToken: 1e-6, outputPerToken: 5e-6 });
    expect(() => resolveModel('mock:calibrated', { env: {} })).not.toThrow();
  });

  it('states p by its policy: overconfident closes 60% of the gap to 1, underconfident halves it', () => {
    const calibrated = parseMockModelId('calibrated');
    expect(statedProbability({ ...calibrated, style: 'overconfident' }, 0.5)).toBeCloseTo(0.8, 12);
    expect(statedProbability({ ...calibrated, style: 'underconfident' }, 0.5)).toBeCloseTo(0.25, 12);
    expect(statedProbability(calibrated, 0.37)).toBe(0.37);
  });

  it('a calibrated mock solves about as often as it says (2,000 tasks, within 3 standard errors)', () => {
    const policy = parseMockModelId('calibrated?skill=0.4&seed=3');
    let stated = 0;
    let solved = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const statement = `task number ${i}`;
      stated += trueSuccessProbability(policy, statement);
      if (solvesTask(policy, 'calibrated?skill=0.4&seed=3', statement)) solved += 1;
    }
    // Bernoulli sum: the standard error of the mean is at most 0.5/sqrt(n) ≈ 0.011.
    expect(Math.abs(solved / n - stated / n)).toBeLessThan(3 * (0.5 / Math.sqrt(n)));
    // Difficulty varies per task, so the probabilities are not all the skill.
    expect(trueSuccessProbability(policy, 'task number 1')).not.toBeCloseTo(trueSuccessProbability(policy, 'task number 2'), 3);
  });

  it('goes through callModel: metered at its price, cached like any model, same reply for the same seed', async () => {
    const model = resolveModel('mock:overconfident?skill=0&price=2/10', { env: {} });
    const dir = tempDir('mb-mock-');
    const store = Store.open(join(dir, 'cache.db'));
    try {
      const cache = storeResponseCache(store);
      const first = await callModel({ model, prompt: forecastPrompt('fix the bug'), maxOutputTokens: 300, cache });
      const reply = JSON.parse(first.text) as { p_success: number; rationale: string };
      // skill 0 → true p 0; overconfident states 1 − (1 − 0)·0.4 = 0.6.
      expect(reply.p_success).toBe(0.6);
      expect(reply.rationale).toMatch(/mock/);
      expect(first.usageReported).toBe(true);
      expect(first.costUsd).toBeCloseTo(first.usage.inputTokens * 2e-6 + first.usage.outputTokens * 10e-6, 12);
      expect(first.cacheHit).toBe(false);
      const second = await callModel({ model, prompt: forecastPrompt('fix the bug'), maxOutputTokens: 300, cache });
      expect(second.cacheHit).toBe(true);
      expect(second.spentUsd).toBe(0);
      expect(second.text).toBe(first.text);
    } finally {
      store.close();
    }
  });
});

describe.skipIf(!availability.ok)('mock agents through the real scaffold and sandbox', () => {
  it('skill 1 applies every known fix and passes the hidden tests; skill 0 makes a wrong edit and fails', async () => {
    const dir = tempDir('mb-mock-attempt-');
    const result = await runCli(
      ['attempt', '--suite', 'builtin', '--workers', 'mock:calibrated?skill=1,mock:calibrated?skill=0', '--limit', '2', '--db', 'a.db'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/mock provider: .* offline mock models/);
    const rows = queryStore(join(dir, 'a.db'), 'select worker_id, resolved, trajectory_ref from attempts order by worker_id, task_id') as {
      worker_id: string;
      resolved: number;
      trajectory_ref: string;
    }[];
    expect(rows.map((row) => [row.worker_id, row.resolved])).toEqual([
      ['mock:calibrated?skill=0', 0],
      ['mock:calibrated?skill=0', 0],
      ['mock:calibrated?skill=1', 1],
      ['mock:calibrated?skill=1', 1],
    ]);
    const jobs = queryStore(join(dir, 'a.db'), "select status, cost_usd from jobs where kind = 'attempt'") as { status: string; cost_usd: number }[];
    expect(jobs.every((job) => job.status === 'done' && job.cost_usd > 0)).toBe(true);
    const trajectoryFile = rows.map((row) => row.trajectory_ref).find((ref) => ref && existsSync(ref)) ?? '';
    const trajectory = JSON.parse(readFileSync(trajectoryFile, 'utf8')) as { steps: { command: string | null; exitCode: number | null }[] };
    const apply = trajectory.steps.find((step) => step.command?.startsWith('git apply'));
    expect(apply?.exitCode).toBe(0);
  }, 120_000);

  it('init writes files that run a market offline on 3 built-in tasks; a second init refuses and writes nothing', async () => {
    const dir = tempDir('mb-init-');
    const init = await runCli(['init', 'bench'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    const bench = join(dir, 'bench');
    for (const name of ['workers.yaml', 'market.yaml', '.env.example']) expect(existsSync(join(bench, name))).toBe(true);
    const before = readFileSync(join(bench, 'market.yaml'), 'utf8');
    const again = await runCli(['init', 'bench'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/workers\.yaml, market\.yaml, \.env\.example already exist; nothing written/);
    expect(readFileSync(join(bench, 'market.yaml'), 'utf8')).toBe(before);

    const market = await runCli(['market', '--workers', 'market.yaml', '--suite', 'builtin'], { cwd: bench });
    expect(market.code, market.stderr).toBe(0);
    expect(market.stderr).toMatch(/mock provider/);
    const runs = queryStore(join(bench, 'marketbench.db'), "select config from runs where kind = 'market'") as { config: string }[];
    expect(runs).toHaveLength(1);
    expect((JSON.parse(runs[0]?.config ?? '{}') as { tasks: number }).tasks).toBe(3);
    for (const arm of ['scoring', 'scoring:plans', 'router', 'solo:mock-strong', 'solo:mock-overconfident']) expect(market.stdout).toMatch(new RegExp(`\\| ${arm}\\s+\\|\\s+\\d/3 \\|`));
    const bids = queryStore(join(bench, 'marketbench.db'), "select count(*) as n from forecasts where treatment = 'bid'") as { n: number }[];
    // 3 tasks × 3 workers bid in the scoring arm's first round.
    expect(bids[0]?.n).toBeGreaterThanOrEqual(9);
    // scoring:plans clears on menus: one per task × worker, each valid and on the file's three budgets.
    const menus = queryStore(join(bench, 'marketbench.db'), "select valid, menu from forecasts where treatment = 'plans'") as { valid: number; menu: string }[];
    expect(menus).toHaveLength(9);
    for (const row of menus) expect((JSON.parse(row.menu) as { budgetUsd: number }[]).map((plan) => plan.budgetUsd)).toEqual([0.1, 0.5, 2]);

    // The report without --run replays every task: the solo arms attempted all 3 with their
    // workers, so the matrix keeps those rows (not the tasks every worker happened to attempt),
    // at the market's V (bounty 90 credits at 10 per USD).
    const report = await runCli(['report', '--db', 'marketbench.db', '--out', 'report.html', '--resamples', '100'], { cwd: bench });
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(bench, 'report.html'), 'utf8');
    expect(html).toMatch(/Mechanisms on 3 tasks × [23] workers \(V = \$9, up to 2 attempts\)/);
  }, 120_000);
});

describe('missing keys', () => {
  it('elicit names every missing key at once and creates no store', async () => {
    const dir = tempDir('mb-keys-');
    const tasks = join(dir, 'tasks.jsonl');
    await import('node:fs').then((fs) => fs.writeFileSync(tasks, `${JSON.stringify({ id: 't1', statement: 'fix it' })}\n`));
    const result = await runCli(['elicit', '--tasks', tasks, '--models', 'openai:gpt-5.2,anthropic:claude-sonnet-4-5,mock:calibrated', '--db', 'e.db'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/OPENAI_API_KEY \(for openai:gpt-5\.2\)/);
    expect(result.stderr).toMatch(/ANTHROPIC_API_KEY \(for anthropic:claude-sonnet-4-5\)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'e.db'))).toBe(false);
  });
});
