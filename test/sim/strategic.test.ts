import { describe, expect, it } from 'vitest';
import {
  calibratedSignalAuroc,
  counterfactualProfits,
  settleStage,
  STRATEGIC_MECHANISMS,
  playStrategicGame,
  spreadForAuroc,
  stageParams,
  strategicWorld,
  type StrategicWorld,
  sweepStrategic,
} from '../../src/sim/strategic/index.js';
import { Random } from '../../src/core/random.js';
import { auroc } from '../../src/metrics/index.js';

/** A world where every task has the same true probability per worker. */
function flatWorld(workers: { id: string; q: number; costUsd: number; learns?: boolean }[], tasks: number): StrategicWorld {
  return {
    workers: workers.map(({ q, ...worker }) => ({ ...worker, passRate: q })),
    truth: workers.map((worker) => Array.from({ length: tasks }, () => worker.q)),
  };
}

describe('strategic bidders', () => {
  it('learns to overstate p in the plain reserve auction by the amount a hand computation predicts', () => {
    // Two workers, F = 0 (no failure penalty), r ~ U[0, 1], the winner is paid r on success and
    // bears its cost c either way; bid b = c / p (the breakeven b* with F = 0).
    // B: q = 0.8, c = 0.41, honest, bids 0.41 / 0.8 = 0.5125.
    // A: q = 0.5, c = 0.30, learns a p shift s; bids 0.3 / (0.5 + s).
    // A wins exactly when its bid b < 0.5125 and r ≥ b (then B's bid is also ≤ r, but A's is lower);
    // if b > 0.5125, B wins every draw A could. A's expected profit when bidding b < 0.5125:
    //   E[1{r ≥ b}(y·r − c)] = q·(1 − b²)/2 − c·(1 − b)
    // s = −0.1: b = 0.75  → loses every draw → 0
    // s =  0  : b = 0.6   → loses every draw → 0        (honest)
    // s = +0.1: b = 0.5   → 0.5·0.75/2 − 0.3·0.5      = 0.1875 − 0.15     = 0.0375   (best)
    // s = +0.2: b = 0.4286 → 0.5·0.8163/2 − 0.3·0.5714 = 0.2041 − 0.1714 = 0.0327
    // s = +0.3: b = 0.375 → 0.5·0.8594/2 − 0.3·0.625  = 0.2148 − 0.1875   = 0.0273
    // s = +0.4: b = 0.3333 → 0.5·0.8889/2 − 0.3·0.6667 = 0.2222 − 0.2    = 0.0222
    // So a profit-maximising A overstates p by +0.1: the smallest overstatement that undercuts B.
    // Welfare V·y − c per task (V = 1): honest, B wins when r ≥ 0.5125: 0.4875·(0.8 − 0.41) = 0.1901;
    // with A at +0.1, A wins when r ≥ 0.5: 0.5·(0.5 − 0.3) = 0.1; a loss of 0.0901 per task.
    const world = flatWorld(
      [
        { id: 'A', q: 0.5, costUsd: 0.3 },
        { id: 'B', q: 0.8, costUsd: 0.41, learns: false },
      ],
      40,
    );
    const common = {
      world,
      mechanism: 'reserve' as const,
      params: stageParams({ value: 1, reservePenalty: 0, maxReserve: 1 }),
      grid: { pShifts: [-0.1, 0, 0.1, 0.2, 0.3, 0.4], askShadings: [0] },
      rounds: 400,
      seed: 7,
    };
    const learned = playStrategicGame(common);
    const honest = playStrategicGame({ ...common, honest: true });
    const a = learned.workers[0]!;
    expect(a.pShift).toBeGreaterThan(0);
    expect(Math.abs(a.pShift - 0.1)).toBeLessThanOrEqual(0.05);
    expect(learned.workers[1]!.pShift).toBe(0);
    expect(honest.welfarePerTask).toBeCloseTo(0.1901, 1);
    expect(Math.abs(honest.welfarePerTask - learned.welfarePerTask - 0.0901)).toBeLessThan(0.03);
    // A's profit per task converges to its hand-computed best, 0.0375 (Monte Carlo noise allowed).
    expect(Math.abs(a.profitPerTask - 0.0375)).toBeLessThan(0.015);
  });

  it('learns no shading under the proper-scoring reference rule (mean |shift| ≤ 0.05 on seeds 1–3)', () => {
    // The grid is lopsided on purpose: a learner that learned nothing (uniform weights) would show
    // a mean shift of +0.1, so passing needs the weights to concentrate on the honest report.
    const grid = { pShifts: [-0.1, 0, 0.1, 0.2, 0.3], askShadings: [0, 0.5] };
    const workers = [
      { id: 'strong', passRate: 0.8, costUsd: 0.2 },
      { id: 'cheap', passRate: 0.6, costUsd: 0.02 },
      { id: 'middle', passRate: 0.7, costUsd: 0.1 },
    ];
    for (const seed of [1, 2, 3]) {
      const world = strategicWorld({ workers, tasks: 40, signalAuroc: 0.65, random: new Random(`${seed}:tasks`) });
      const result = playStrategicGame({ world, mechanism: 'proper', params: stageParams(), grid, rounds: 200, seed });
      const meanAbs = result.workers.reduce((sum, w) => sum + Math.abs(w.pShift), 0) / result.workers.length;
      expect(meanAbs).toBeLessThanOrEqual(0.05);
      // The same workers under the paper's scoring auction (paid the ask, no liability): the
      // winning cheap worker learns to overstate p, since a higher p only raises its score.
      const scoring = playStrategicGame({ world, mechanism: 'scoring', params: stageParams(), grid, rounds: 200, seed });
      expect(scoring.workers[1]!.pShift).toBeGreaterThan(0.1);
    }
  });

  it('gives calibrated signals the AUROC asked for', () => {
    // Closed form at spread 0: an uninformative forecast has AUROC ½.
    expect(calibratedSignalAuroc({ base: 0.7, sd: 0 })).toBeCloseTo(0.5, 6);
    const sd = spreadForAuroc({ base: 0.75, signalAuroc: 0.7 });
    // Check by sampling: forecasts at that spread and outcomes drawn from them.
    const random = new Random(3);
    const centre = Math.log(0.75 / 0.25);
    const p: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      const q = 1 / (1 + Math.exp(-(centre + sd * random.normal())));
      p.push(q);
      y.push(random.bernoulli(q) ? 1 : 0);
    }
    expect(auroc({ p, y })).toBeCloseTo(0.7, 2);
  });

  it('sweeps mechanisms with intervals over seeds and a welfare loss measured on the same draws', () => {
    const report = sweepStrategic({
      workers: [
        { id: 'a', passRate: 0.8, costUsd: 0.2 },
        { id: 'b', passRate: 0.6, costUsd: 0.02 },
      ],
      mechanisms: ['scoring', 'proper'],
      tasks: 10,
      rounds: 20,
      seeds: [1, 2],
    });
    expect(report.mechanisms.map((m) => m.mechanism)).toEqual(['scoring', 'proper']);
    for (const m of report.mechanisms) {
      expect(m.path).toHaveLength(20);
      expect(m.welfareLoss.mean).toBeCloseTo(m.honestWelfare.mean - m.welfare.mean, 12);
      expect(m.welfare.lo).toBeLessThanOrEqual(m.welfare.mean);
      expect(m.welfare.hi).toBeGreaterThanOrEqual(m.welfare.mean);
    }
  });

  it('prices every alternative report exactly as settling the task with that report would', () => {
    // An identity check of the fast path against the direct one, over random tasks and rosters.
    const random = new Random(11);
    const params = stageParams({ reservePenalty: 0.5 });
    for (const mechanism of STRATEGIC_MECHANISMS) {
      for (let trial = 0; trial < 200; trial++) {
        const n = 2 + random.int(4);
        const draw = () => Array.from({ length: n }, () => Math.round(random.next() * 10) / 10);
        const p = draw().map((v) => Math.min(0.99, Math.max(0.01, v)));
        const input = {
          allocationP: p,
          statedP: p,
          ask: draw(),
          cost: draw(),
          outcome: draw().map((v) => (v < 0.5 ? 0 : 1)),
          audited: draw().map((v) => (v < 0.3 ? 1 : 0)),
          reserve: random.next(),
        };
        const focus = random.int(n);
        const candidates = { allocationP: [0.2, 0.5, 0.9, p[focus]!], statedP: [0.3, 0.5, 0.9, p[focus]!], ask: [0, 0.3, 1, input.ask[focus]!] };
        const fast = new Float64Array(4);
        counterfactualProfits({ mechanism, params, input, focus, candidates, into: fast });
        for (let a = 0; a < 4; a++) {
          const swap = (values: number[], v: number) => values.map((x, i) => (i === focus ? v : x));
          const direct = settleStage({
            mechanism,
            params,
            focus,
            input: {
              ...input,
              allocationP: swap(input.allocationP, candidates.allocationP[a]!),
              statedP: swap(input.statedP, candidates.statedP[a]!),
              ask: swap(input.ask, candidates.ask[a]!),
            },
          });
          expect(fast[a]).toBeCloseTo(direct.profit, 12);
        }
      }
    }
  });
});
