import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBounty } from '../../src/cli/commands/market.js';
import { Random } from '../../src/core/random.js';
import { type AttemptRecord, parallelAll, runTaskRounds, scoringAuction } from '../../src/mechanisms/index.js';
import { armBids, compareArms, DEFAULT_MARKET_SETTINGS, expectedCostUsd, parseArms, type UnitResult } from '../../src/market/index.js';
import { ArmBudgets, clearTask, loadMarketFile, parseRouterReply, routerFallback } from '../../src/runtime/market/index.js';
import { marketTables } from '../../src/report/format-market.js';
import { tempDir } from '../support/temp-dir.js';

const WORKERS = [
  { id: 'a', blendedPrice: 3e-6 },
  { id: 'b', blendedPrice: 1e-6 },
  { id: 'c', blendedPrice: 2e-6 },
];

describe('arms', () => {
  it('fills the market settings into scoring and reserve specs, stores the router as central, orders the default cascade cheapest first', () => {
    const arms = parseArms({ specs: ['scoring', 'reputation:platt', 'reserve', 'router', 'solo:b', 'cascade', 'parallel', 'cascade:a>c'], workers: WORKERS, settings: DEFAULT_MARKET_SETTINGS });
    expect(arms.map((arm) => [arm.label, arm.spec, arm.storedName, arm.usesBids])).toEqual([
      ['scoring', 'scoring:bounty=90:penaltyRate=0.1:forceBids=true', 'scoring', true],
      ['reputation:platt', 'reputation:platt:bounty=90:penaltyRate=0.1:forceBids=true', 'reputation:platt', true],
      ['reserve', 'reserve:F=2:R=1', 'reserve', true],
      ['router', 'central', 'central', false],
      ['solo:b', 'solo:b', 'solo:b', false],
      ['cascade', 'cascade:b>c>a', 'cascade', false],
      ['parallel', 'parallel-all', 'parallel', false],
      ['cascade:a>c', 'cascade:a>c', 'cascade:a>c', false],
    ]);
    expect(arms.find((arm) => arm.label === 'reserve')?.bidsInUsd).toBe(true);
    // A spec's own options win over the market's.
    expect(parseArms({ specs: ['scoring:bounty=50'], workers: WORKERS, settings: DEFAULT_MARKET_SETTINGS })[0]?.spec).toBe('scoring:bounty=50:penaltyRate=0.1:forceBids=true');
  });

  it('rejects the oracle, unknown workers and duplicates with a message', () => {
    const settings = DEFAULT_MARKET_SETTINGS;
    expect(() => parseArms({ specs: ['oracle'], workers: WORKERS, settings })).toThrow(/knows outcomes in advance/);
    expect(() => parseArms({ specs: ['solo:zz'], workers: WORKERS, settings })).toThrow(/unknown worker 'zz'/);
    expect(() => parseArms({ specs: ['router', 'central'], workers: WORKERS, settings })).toThrow(/listed twice/);
    expect(() => parseArms({ specs: [], workers: WORKERS, settings })).toThrow(/at least one arm/);
  });
});

describe('bids', () => {
  it("reproduces the paper's first live-market score (DESIGN §5: 0.62·90 − 34 − 8.4771 − 0.38·10.08 = 9.4925)", () => {
    // e = recent tokens × blended price × credits per USD; choose the tokens that give the paper's e of 8.4771 credits.
    const blendedPrice = 7.875e-6;
    const meanTokens = 8.4771 / (blendedPrice * 10);
    const { bids, details } = armBids({
      taskId: 't',
      replies: [{ workerId: 'gpt-5.2', reply: { pSuccess: 0.62, expectedTokens: 5000, ask: 34, valid: true, invalidReason: null, timedOut: false, tokens: 0 }, blendedPrice, recent: { attempts: 3, meanTokens } }],
      settings: DEFAULT_MARKET_SETTINGS,
      usd: false,
      preferForecast: false,
    });
    expect(bids[0]?.expectedCost).toBeCloseTo(8.4771, 9);
    expect(details[0]?.eSource).toBe('history');
    expect(details[0]?.phi).toBeCloseTo(10.08, 9);
    expect(details[0]?.score).toBeCloseTo(9.4925, 9);
    // The mechanism scores the same bid identically.
    const decision = scoringAuction({ bounty: 90 }).allocate({ taskId: 't', features: {} }, bids, { round: 1, maxAttempts: 2, value: 90, roster: ['gpt-5.2'], available: ['gpt-5.2'], previous: [] }, new Random(1));
    expect((decision.detail.scores as Record<string, number>)['gpt-5.2']).toBeCloseTo(9.4925, 9);
  });

  it('fallback bids only with forceBids; the reserve arm gets USD (asks divided by credits per USD, e in USD)', () => {
    const invalid = { pSuccess: null, expectedTokens: null, ask: null, valid: false, invalidReason: 'missing p_success', timedOut: false, tokens: 0 };
    const valid = { pSuccess: 0.5, expectedTokens: 2000, ask: 20, valid: true, invalidReason: null, timedOut: false, tokens: 0 };
    const replies = [
      { workerId: 'x', reply: invalid, blendedPrice: 1e-6, recent: undefined },
      { workerId: 'y', reply: valid, blendedPrice: 1e-6, recent: undefined },
    ];
    const forced = armBids({ taskId: 't', replies, settings: DEFAULT_MARKET_SETTINGS, usd: false, preferForecast: false });
    // Fallback a = 0.4 · 90 = 36, p = 0.5.
    expect(forced.bids.map((bid) => [bid.workerId, bid.ask, bid.pSuccess, bid.fallback])).toEqual([
      ['x', 36, 0.5, true],
      ['y', 20, 0.5, false],
    ]);
    expect(forced.details[0]?.reason).toBe('missing p_success');
    const strict = armBids({ taskId: 't', replies, settings: { ...DEFAULT_MARKET_SETTINGS, forceBids: false }, usd: false, preferForecast: false });
    expect(strict.bids.map((bid) => bid.workerId)).toEqual(['y']);
    // USD: ask 20 credits / 10 = $2; e = 2000 × 1e-6 = $0.002 (not × 10).
    const usd = armBids({ taskId: 't', replies, settings: DEFAULT_MARKET_SETTINGS, usd: true, preferForecast: false });
    expect(usd.bids[1]?.ask).toBeCloseTo(2, 12);
    expect(usd.bids[1]?.expectedCost).toBeCloseTo(0.002, 12);
    expect(usd.details[1]?.score).toBeUndefined();
  });

  it('e: recent history first, else the token forecast, else 0; the reputation arm prefers the forecast', () => {
    const recent = { attempts: 4, meanTokens: 3000 };
    expect(expectedCostUsd({ recent, expectedTokens: 1000, blendedPrice: 2e-6 })).toEqual({ usd: 0.006, source: 'history' });
    expect(expectedCostUsd({ recent, expectedTokens: 1000, blendedPrice: 2e-6, preferForecast: true })).toEqual({ usd: 0.002, source: 'forecast' });
    expect(expectedCostUsd({ recent: undefined, expectedTokens: 1000, blendedPrice: 2e-6 })).toEqual({ usd: 0.002, source: 'forecast' });
    expect(expectedCostUsd({ recent: undefined, expectedTokens: null, blendedPrice: 2e-6 })).toEqual({ usd: 0, source: 'none' });
  });
});

describe('router replies', () => {
  const roster = ['gpt-5.2/bash', 'claude/bash', 'mini/one-shot'];
  it('reads the worker from JSON, fenced JSON or an object in prose; case and spaces forgiven', () => {
    expect(parseRouterReply({ text: '{"worker": "claude/bash", "reason": "strong"}', roster, excluded: [] })).toEqual({ choice: 'claude/bash', named: 'claude/bash', reason: 'strong', invalidReason: null });
    expect(parseRouterReply({ text: 'Sure.\n```json\n{"worker": " GPT-5.2/Bash "}\n```', roster, excluded: [] }).choice).toBe('gpt-5.2/bash');
    expect(parseRouterReply({ text: 'I pick {"name": "mini/one-shot"} today', roster, excluded: [] }).choice).toBe('mini/one-shot');
  });

  it('an unknown, excluded, non-string or missing worker is invalid with the reason', () => {
    expect(parseRouterReply({ text: '{"worker": "gemini"}', roster, excluded: [] }).invalidReason).toBe("unknown worker 'gemini'");
    expect(parseRouterReply({ text: '{"worker": "claude/bash"}', roster, excluded: ['claude/bash'] }).invalidReason).toBe("worker 'claude/bash' already failed this task");
    expect(parseRouterReply({ text: '{"worker": 3}', roster, excluded: [] }).invalidReason).toBe('"worker" is not a string (3)');
    expect(parseRouterReply({ text: 'the second one', roster, excluded: [] })).toMatchObject({ choice: null, invalidReason: 'no JSON object with a "worker" field in the reply' });
  });

  it('falls back to the cheapest eligible worker, ties in roster order', () => {
    expect(routerFallback(WORKERS, [])).toBe('b');
    expect(routerFallback(WORKERS, ['b'])).toBe('c');
    expect(routerFallback([{ id: 'p', blendedPrice: 1 }, { id: 'q', blendedPrice: 1 }], [])).toBe('p');
  });
});

describe('clearing with async steps', () => {
  it('runs the replay driver: parallel assigns every worker at once, and the result equals runTaskRounds on the same outcomes', async () => {
    const outcomes: Record<string, AttemptRecord> = {
      a: { workerId: 'a', resolved: false, costUsd: 0.3, tokens: 300 },
      b: { workerId: 'b', resolved: true, costUsd: 0.1, tokens: 100 },
    };
    const calls: string[][] = [];
    const cleared = await clearTask({
      mechanism: parallelAll(),
      task: { taskId: 't', features: {} },
      bids: [],
      roster: ['a', 'b'],
      maxAttempts: 2,
      valueUsd: 1,
      random: new Random(7).fork('t'),
      attempt: async (ids) => {
        calls.push(ids);
        return { records: Object.fromEntries(ids.map((id) => [id, outcomes[id] as AttemptRecord])) };
      },
    });
    expect(calls).toEqual([['a', 'b']]);
    expect(cleared.status).toBe('done');
    const direct = runTaskRounds({ mechanism: parallelAll(), task: { taskId: 't', features: {} }, bids: [], roster: ['a', 'b'], attempt: (id) => outcomes[id] as AttemptRecord, maxAttempts: 2, value: 1, random: new Random(7).fork('t') });
    if (cleared.status === 'done') expect(cleared.run).toEqual(direct);
  });

  it('the router arm asks once per round and a stop ends the task', async () => {
    const rounds: number[] = [];
    const cleared = await clearTask({
      mechanism: undefined,
      task: { taskId: 't', features: {} },
      bids: [],
      roster: ['a', 'b'],
      maxAttempts: 2,
      valueUsd: 1,
      random: new Random(1),
      attempt: async (ids) => ({ records: Object.fromEntries(ids.map((id) => [id, { workerId: id, resolved: id === 'b', costUsd: 0, tokens: 0 }])) }),
      route: async (context) => {
        rounds.push(context.round);
        return context.round === 1 ? 'a' : 'b';
      },
    });
    expect(rounds).toEqual([1, 2]);
    expect(cleared.status === 'done' && cleared.run.allocations.map((allocation) => allocation.workerIds)).toEqual([['a'], ['b']]);
    const stopped = await clearTask({
      mechanism: undefined,
      task: { taskId: 't', features: {} },
      bids: [],
      roster: ['a'],
      maxAttempts: 2,
      valueUsd: 1,
      random: new Random(1),
      attempt: async () => ({ stop: 'budget' }),
      route: async () => 'a',
    });
    expect(stopped).toEqual({ status: 'stopped', stop: 'budget' });
  });
});

describe('comparison', () => {
  const unit = (arm: string, taskId: string, solved: boolean, extra: Partial<UnitResult> = {}): UnitResult => ({
    arm,
    taskId,
    solved,
    rounds: [{ round: 1, workerIds: ['w'], fallbackBids: 0, routerFallback: false }],
    attempts: [{ workerId: 'w', round: 1, resolved: solved, costUsd: 0.2, tokens: 1000, jobKey: 'k', shared: false }],
    attemptCostUsd: 0.2,
    attemptTokens: 1000,
    overheadCostUsd: 0.05,
    overheadTokens: 100,
    accountedUsd: 0.25,
    ...extra,
  });

  it('pairs arms on the tasks both finished: exact McNemar, cost and tokens per solve, wins and conversions', () => {
    const tasks = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const units = [
      // market solves t1..t5, router none of them but t6; t6 is unmatched for solo (not finished).
      ...tasks.slice(0, 5).map((taskId) => unit('market', taskId, true)),
      unit('market', 't6', false),
      ...tasks.map((taskId) => unit('router', taskId, taskId === 't6')),
      ...tasks.slice(0, 5).map((taskId) => unit('solo', taskId, taskId === 't1')),
    ];
    const comparison = compareArms({ arms: ['market', 'router', 'solo'], taskIds: tasks, workerIds: ['w'], units });
    expect(comparison.matchedTasks).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(comparison.unmatchedTasks).toEqual(['t6']);
    const market = comparison.summaries[0];
    expect(market).toMatchObject({ solved: 5, n: 5, attempts: 5 });
    // 5 × (0.2 + 0.05) / 5 solves; 5 × 1100 tokens / 5.
    expect(market?.costPerSolve).toBeCloseTo(0.25, 12);
    expect(market?.tokensPerSolve).toBeCloseTo(1100, 12);
    expect(market?.workers).toEqual([{ workerId: 'w', won: 5, converted: 5 }]);
    expect(comparison.summaries[1]?.costPerSolve).toBeNull();
    // market vs router: 5 discordant pairs all one way: p = 2 · (1/2)^5 = 0.0625.
    const [marketRouter, marketSolo] = comparison.pairs;
    expect(marketRouter).toMatchObject({ a: 'market', b: 'router', onlyA: 5, onlyB: 0 });
    expect(marketRouter?.pValue).toBeCloseTo(0.0625, 12);
    // market vs solo: 4 discordant: 2 · (1/2)^4 = 0.125.
    expect(marketSolo?.pValue).toBeCloseTo(0.125, 12);
    // Without V there is no welfare.
    expect(market?.welfare).toBeNull();
  });

  it('gives each arm its welfare at actual cost, V·solved − (attempts + allocating)', () => {
    const units = ['t1', 't2', 't3', 't4'].flatMap((taskId, i) => [unit('market', taskId, i < 3), unit('router', taskId, i === 0)]);
    const comparison = compareArms({ arms: ['market', 'router'], taskIds: ['t1', 't2', 't3', 't4'], workerIds: ['w'], units, valueUsd: 2 });
    // market: 3 solved × $2 − 4 units × $0.25 = $5; router: 1 × $2 − $1 = $1.
    expect(comparison.summaries[0]?.welfare).toBeCloseTo(5, 12);
    expect(comparison.summaries[1]?.welfare).toBeCloseTo(1, 12);
    // The printed arms table ranks by welfare: router was named first, market ($5 > $1) comes first.
    const reversed = compareArms({ arms: ['router', 'market'], taskIds: ['t1', 't2', 't3', 't4'], workerIds: ['w'], units, valueUsd: 2 });
    expect(marketTables(reversed).arms.rows.map((row) => row[0])).toEqual(['market', 'router']);
  });
});

describe('budgets', () => {
  it('splits a shared reservation evenly over arms, all or nothing, and charges a reused step once per arm', async () => {
    const budgets = new ArmBudgets({ arms: ['x', 'y', 'z'], totalUsd: 0.9, priorUsd: { z: 0.25 } });
    expect(budgets.of('x').limitUsd).toBeCloseTo(0.3, 12);
    const gate = budgets.split(['x', 'y']);
    const reservation = gate.tryReserve(0.4);
    expect(budgets.of('x').reservedUsd).toBeCloseTo(0.2, 12);
    reservation?.settle(0.1);
    expect(budgets.of('x').spentUsd).toBeCloseTo(0.05, 12);
    expect(budgets.of('y').spentUsd).toBeCloseTo(0.05, 12);
    // z has 0.05 left: a split reservation of 0.2 (0.1 each) over y and z fails and leaves y untouched.
    expect(budgets.split(['y', 'z']).tryReserve(0.2)).toBeUndefined();
    expect(budgets.of('y').reservedUsd).toBe(0);
    expect(await budgets.charge('x', 'k', 0.1)).toBe(true);
    expect(await budgets.charge('x', 'k', 0.1)).toBe(true);
    expect(budgets.of('x').spentUsd).toBeCloseTo(0.15, 12);
    expect(await budgets.charge('z', 'k', 0.1)).toBe(false);
  });
});

describe('market file and flags', () => {
  const dir = tempDir('mb-market-file-');

  it('reads workers, router, market and arms; errors name the file, line and field', () => {
    const file = join(dir, 'market.yaml');
    writeFileSync(file, 'workers:\n  - id: w\n    model: openai:gpt-5.2\nrouter:\n  model: openai:gpt-5.2-pro\n  withHistory: true\nmarket:\n  bounty: 50\narms: [scoring, router]\n');
    const loaded = loadMarketFile(file);
    expect(loaded.workers.map((worker) => worker.id)).toEqual(['w']);
    expect(loaded.router).toMatchObject({ model: 'openai:gpt-5.2-pro', withHistory: true, maxOutputTokens: 1000 });
    expect(loaded.market).toEqual({ bounty: 50 });
    expect(loaded.arms).toEqual(['scoring', 'router']);
    writeFileSync(file, 'workers:\n  - model: openai:gpt-5.2\nmarket:\n  bounty: -5\n');
    expect(() => loadMarketFile(file)).toThrow(`${file}:4: field 'market.bounty':`);
    writeFileSync(file, 'workers:\n  - model: openai:gpt-5.2\nrouter:\n  model: openai:gpt-5.2-pro\n  withHistory: "yes"\n');
    expect(() => loadMarketFile(file)).toThrow(`${file}:5: field 'router.withHistory':`);
    writeFileSync(file, 'workers:\n  - model: openai:gpt-5.2\n  - model: gpt-5\n');
    expect(() => loadMarketFile(file)).toThrow(/:3: field 'workers.1.model': a model reference like openai:gpt-5.2/);
    writeFileSync(file, 'workers:\n  - model: openai:gpt-5.2\nbudget: 3\n');
    expect(() => loadMarketFile(file)).toThrow(/a market file has workers, router, market, arms and limit/);
    // A plain workers file (a list) is a market file without settings.
    writeFileSync(file, '- model: openai:gpt-5.2\n');
    expect(loadMarketFile(file)).toMatchObject({ router: undefined, market: undefined, arms: undefined });
  });

  it('the bounty is named by its currency; the old bounty/currency spelling still runs, with one deprecation line', () => {
    const file = join(dir, 'bounty.yaml');
    const head = 'workers:\n  - model: openai:gpt-5.2\nmarket:\n';
    writeFileSync(file, `${head}  bountyUsd: 1.5\n  maxAttempts: 3\n`);
    expect(loadMarketFile(file)).toMatchObject({ market: { bounty: 1.5, currency: 'usd', maxAttempts: 3 }, deprecations: [] });
    writeFileSync(file, `${head}  bountyCredits: 60\n`);
    expect(loadMarketFile(file)).toMatchObject({ market: { bounty: 60, currency: 'credits' }, deprecations: [] });
    // The old spelling: the same settings, and one line naming the file, the line and the new key.
    writeFileSync(file, `${head}  bounty: 2\n  currency: usd\n`);
    const old = loadMarketFile(file);
    expect(old.market).toEqual({ bounty: 2, currency: 'usd' });
    expect(old.deprecations).toEqual([`deprecated: ${file}:4: market.bounty and market.currency; write market.bountyUsd: 2 instead (the old spelling still works)`]);
    writeFileSync(file, `${head}  bountyUsd: 1\n  bountyCredits: 9\n`);
    expect(() => loadMarketFile(file)).toThrow(`${file}:4: field 'market.bountyUsd': give one of bountyCredits or bountyUsd`);
    writeFileSync(file, `${head}  bountyCredits: 9\n  bounty: 9\n`);
    expect(() => loadMarketFile(file)).toThrow(`${file}:5: field 'market.bounty': bounty is the old spelling of bountyCredits / bountyUsd`);
    writeFileSync(file, `${head}  bountyUsd: 0\n`);
    expect(() => loadMarketFile(file)).toThrow(`${file}:4: field 'market.bountyUsd':`);
  });

  it('--bounty in credits or USD', () => {
    expect(parseBounty('90')).toEqual({ bounty: 90, currency: 'credits' });
    expect(parseBounty('45credits')).toEqual({ bounty: 45, currency: 'credits' });
    expect(parseBounty('1.5usd')).toEqual({ bounty: 1.5, currency: 'usd' });
    expect(parseBounty('$2')).toEqual({ bounty: 2, currency: 'usd' });
    expect(() => parseBounty('-1')).toThrow(/--bounty is '-1'/);
    expect(() => parseBounty('ten')).toThrow(/--bounty/);
  });
});
