import { Random } from '../../core/random.js';
import { type CalibrationMap, fitCalibrationMap } from '../../reputation/index.js';
import { counterfactualProfits } from './counterfactual-profits.js';
import { HedgeLearner, sampleAction } from './hedge-learner.js';
import { gridActions, honestActionIndex, reportedP, type ShadingGrid } from './shading-grid.js';
import { type StageInput, type StageParams, type StrategicMechanism, settleStage } from './stage-mechanisms.js';
import type { StrategicWorld } from './strategic-world.js';

/** Options of one repeated game. */
export interface StrategicGameOptions {
  /** Workers and their true probabilities. */
  world: StrategicWorld;
  /** The mechanism repeated every round. */
  mechanism: StrategicMechanism;
  /** Its parameters. */
  params: StageParams;
  /** The reports workers choose from. */
  grid: ShadingGrid;
  /** Rounds; every round auctions every task of the world once. */
  rounds: number;
  /** Seed of the rounds' draws (outcomes, reserves, audits) and of the workers' play. */
  seed: number | string;
  /** Multiplier κ of the learners' rate (default 4). */
  learningRate?: number;
  /** Everyone reports honestly every round: the baseline the welfare loss is measured against. */
  honest?: boolean;
  /** Rounds of history a reputation map is fitted on (default 50). */
  calibrationWindow?: number;
  /** Share of the last rounds whose average is the converged figure (default 0.25). */
  convergedShare?: number;
}

/** The learners' mean expected shading in one round. */
export interface ShadingPathPoint {
  /** Round, from 1. */
  round: number;
  /** Mean over learning workers of their expected p shift. */
  pShift: number;
  /** Mean over learning workers of their expected ask shading. */
  askShading: number;
}

/** Converged figures of one worker (averages over the last rounds). */
export interface StrategicWorkerResult {
  /** Worker id. */
  id: string;
  /** Expected p shift under its strategy. */
  pShift: number;
  /** Expected ask shading under its strategy. */
  askShading: number;
  /** Realised profit per task, USD. */
  profitPerTask: number;
}

/** What a repeated game converged to. */
export interface StrategicGameResult {
  /** The learners' mean shading round by round. */
  path: ShadingPathPoint[];
  /** Per worker, over the last rounds. */
  workers: StrategicWorkerResult[];
  /** Principal's welfare V·solved − actual cost per task over the last rounds, USD. */
  welfarePerTask: number;
  /** Share of tasks solved over the last rounds. */
  solvedRate: number;
  /** Actual cost of the attempts per task over the last rounds, USD. */
  actualCostPerTask: number;
  /** Rounds averaged into the converged figures. */
  convergedRounds: number;
}

/** The draws of one round: every worker's outcome and audit per task, and each task's reserve. */
function roundDraws(options: { seed: number | string; round: number; world: StrategicWorld; auditRate: number; maxReserve: number }) {
  const random = new Random(`${options.seed}:round:${options.round}`);
  const tasks = options.world.truth[0]?.length ?? 0;
  return Array.from({ length: tasks }, (_, t) => ({
    outcome: options.world.truth.map((row) => (random.bernoulli(row[t] as number) ? 1 : 0)),
    audited: options.world.truth.map(() => (random.bernoulli(options.auditRate) ? 1 : 0)),
    reserve: random.uniform(0, options.maxReserve),
  }));
}

/**
 * Repeats a mechanism for `rounds` rounds over the same tasks. Each round every learning worker
 * draws a report (a p shift and an ask shading) from its Hedge strategy; every task is settled
 * with fresh outcomes drawn from the fixed true probabilities; then each learner is told what each
 * of its reports would have earned this round (per task), others' reports and the draws held
 * fixed. Under `reputation` and `liability` each worker's stated p passes through an isotonic map fitted on its
 * own attempted tasks of the previous `calibrationWindow` rounds (so the current round's outcomes
 * never shape the map applied to it).
 */
export function playStrategicGame(options: StrategicGameOptions): StrategicGameResult {
  const { world, mechanism, params, grid, rounds, seed } = options;
  const actions = gridActions(grid);
  const honestIndex = honestActionIndex(actions);
  const workerCount = world.workers.length;
  const tasks = world.truth[0]?.length ?? 0;
  const learns = world.workers.map((worker) => !options.honest && worker.learns !== false);
  const learners = world.workers.map((_, w) =>
    learns[w] ? new HedgeLearner({ actions: actions.length, ...(options.learningRate === undefined ? {} : { rate: options.learningRate }) }) : null,
  );
  const play = new Random(`${seed}:play`);
  const windowRounds = options.calibrationWindow ?? 50;
  const history: { p: number[]; y: number[] }[][] = world.workers.map(() => []);
  const converged = Math.max(1, Math.ceil((options.convergedShare ?? 0.25) * rounds));
  const path: ShadingPathPoint[] = [];
  const totals = { welfare: 0, solved: 0, cost: 0 };
  const workerTotals = world.workers.map(() => ({ pShift: 0, askShading: 0, profit: 0 }));

  for (let round = 1; round <= rounds; round++) {
    const strategies = learners.map((learner) => learner?.weights() ?? null);
    const expected = strategies.map((weights) => expectedShading(weights, actions));
    const learning = expected.filter((_, w) => learns[w]);
    path.push({
      round,
      pShift: mean(learning.map((e) => e.pShift)),
      askShading: mean(learning.map((e) => e.askShading)),
    });
    const chosen = strategies.map((weights) => (weights ? sampleAction(weights, play.next()) : honestIndex));
    const maps = mechanism === 'reputation' || mechanism === 'liability' ? history.map((rows) => reputationMap(rows.slice(-windowRounds))) : null;
    const draws = roundDraws({ seed, round, world, auditRate: params.auditRate, maxReserve: params.maxReserve });
    const counterfactual = world.workers.map(() => new Float64Array(actions.length));
    const candidates = {
      allocationP: new Float64Array(actions.length),
      statedP: new Float64Array(actions.length),
      ask: new Float64Array(actions.length),
    };
    const realisedProfit = new Float64Array(workerCount);
    const attempted: { p: number[]; y: number[] }[] = world.workers.map(() => ({ p: [], y: [] }));
    let welfare = 0;
    let solved = 0;
    let cost = 0;
    for (let t = 0; t < tasks; t++) {
      const draw = draws[t]!;
      const report = (w: number, a: number) => {
        const action = actions[a]!;
        const stated = reportedP(world.truth[w]![t]!, action.pShift);
        return {
          stated,
          allocation: maps ? maps[w]!.apply(stated) : stated,
          ask: world.workers[w]!.costUsd * (1 + action.askShading),
        };
      };
      const reports = chosen.map((a, w) => report(w, a));
      const input: StageInput = {
        allocationP: reports.map((r) => r.allocation),
        statedP: reports.map((r) => r.stated),
        ask: reports.map((r) => r.ask),
        cost: world.workers.map((worker) => worker.costUsd),
        outcome: draw.outcome,
        audited: draw.audited,
        reserve: draw.reserve,
      };
      const result = settleStage({ mechanism, params, input, focus: 0 });
      realisedProfit[0] = (realisedProfit[0] as number) + result.profit;
      for (let w = 1; w < workerCount; w++) {
        realisedProfit[w] = (realisedProfit[w] as number) + settleStage({ mechanism, params, input, focus: w }).profit;
      }
      welfare += (result.solved ? params.value : 0) - result.actualCostUsd;
      solved += result.solved ? 1 : 0;
      cost += result.actualCostUsd;
      if (result.winner >= 0) {
        attempted[result.winner]!.p.push(input.statedP[result.winner] as number);
        attempted[result.winner]!.y.push(draw.outcome[result.winner] as number);
      }
      for (let w = 0; w < workerCount; w++) {
        if (!learners[w]) continue;
        for (let a = 0; a < actions.length; a++) {
          const alternative = report(w, a);
          candidates.allocationP[a] = alternative.allocation;
          candidates.statedP[a] = alternative.stated;
          candidates.ask[a] = alternative.ask;
        }
        counterfactualProfits({ mechanism, params, input, focus: w, candidates, into: counterfactual[w]! });
      }
    }
    for (let w = 0; w < workerCount; w++) {
      history[w]!.push(attempted[w]!);
      const learner = learners[w];
      if (learner) learner.update(counterfactual[w]!.map((total) => total / Math.max(1, tasks)));
    }
    if (round > rounds - converged) {
      totals.welfare += welfare;
      totals.solved += solved;
      totals.cost += cost;
      for (let w = 0; w < workerCount; w++) {
        const entry = workerTotals[w]!;
        entry.pShift += expected[w]!.pShift;
        entry.askShading += expected[w]!.askShading;
        entry.profit += (realisedProfit[w] as number) / Math.max(1, tasks);
      }
    }
  }
  const taskRounds = converged * Math.max(1, tasks);
  return {
    path,
    workers: world.workers.map((worker, w) => ({
      id: worker.id,
      pShift: workerTotals[w]!.pShift / converged,
      askShading: workerTotals[w]!.askShading / converged,
      profitPerTask: workerTotals[w]!.profit / converged,
    })),
    welfarePerTask: totals.welfare / taskRounds,
    solvedRate: totals.solved / taskRounds,
    actualCostPerTask: totals.cost / taskRounds,
    convergedRounds: converged,
  };
}

function reputationMap(rounds: { p: number[]; y: number[] }[]): CalibrationMap {
  return fitCalibrationMap({ method: 'isotonic', p: rounds.flatMap((r) => r.p), y: rounds.flatMap((r) => r.y) });
}

function expectedShading(weights: Float64Array | null, actions: readonly { pShift: number; askShading: number }[]) {
  if (!weights) return { pShift: 0, askShading: 0 };
  let pShift = 0;
  let askShading = 0;
  for (let a = 0; a < actions.length; a++) {
    pShift += (weights[a] as number) * actions[a]!.pShift;
    askShading += (weights[a] as number) * actions[a]!.askShading;
  }
  return { pShift, askShading };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
