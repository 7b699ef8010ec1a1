import { describe, expect, it } from 'vitest';
import { cellKey, Random } from '../../src/core/index.js';
import {
  type PopulationSpec,
  paperPreset,
  simulatePopulation,
  statedProbability,
  withInformativeness,
} from '../../src/sim/index.js';
import { pairwiseAuroc } from '../support/pairwise-auroc.js';

function withStated(spec: PopulationSpec, stated: Partial<PopulationSpec['workers'][number]['stated']>): PopulationSpec {
  return { ...spec, workers: spec.workers.map((w) => ({ ...w, stated: { ...w.stated, ...stated } })) };
}

function statedByWorker(spec: PopulationSpec, tasks: number, seed: number) {
  const simulation = simulatePopulation({ spec, tasks, random: new Random(seed) });
  return { simulation, byWorker: (workerId: string) => simulation.matrix.taskIds.map((t) => simulation.cells.get(cellKey(t, workerId))!) };
}

describe('statedProbability', () => {
  it('computes σ(center + bias + resolution·(trueLogit − center) + noise·z) and snaps to the anchored grid', () => {
    // logit = 1 + 0.5 + 0.5·(3 − 1) + 0 = 2.5; σ(2.5) = 1 / (1 + e^−2.5) = 0.9241418199787566.
    const base = { trueLogit: 3, center: 1, bias: 0.5, resolution: 0.5, noise: 0.4, z: 0, step: 0 };
    expect(statedProbability(base)).toBeCloseTo(0.9241418199787566, 12);
    // Anchor σ(1.5) = 0.8176 → 0.82; 0.9241 is one step of 0.1 above it → 0.92.
    expect(statedProbability({ ...base, step: 0.1 })).toBeCloseTo(0.92, 12);
    // z = −2.5 adds −1 to the logit: σ(1.5) = 0.8175744761936437.
    expect(statedProbability({ ...base, z: -2.5 })).toBeCloseTo(0.8175744761936437, 12);
  });
});

describe('stated-p knobs', () => {
  it('resolution 0 with no noise gives one distinct p per worker, at its mean-p target (to the grid)', () => {
    const spec = withStated(paperPreset, { auroc: undefined, resolution: 0, noise: 0 });
    const { byWorker } = statedByWorker(spec, 400, 3);
    for (const worker of spec.workers) {
      const values = new Set(byWorker(worker.id).map((cell) => cell.statedP));
      expect(values.size).toBe(1);
      expect(Math.abs([...values][0]! - worker.stated.meanP!)).toBeLessThanOrEqual(worker.stated.step / 2 + 0.01);
    }
  });

  it('resolution 1 with no noise, bias or rounding states the true probability', () => {
    const spec = withStated(paperPreset, { auroc: undefined, resolution: 1, noise: 0, step: 0, meanP: undefined, bias: 0 });
    const { simulation, byWorker } = statedByWorker(spec, 2000, 4);
    for (const worker of spec.workers) {
      const cells = byWorker(worker.id);
      for (const cell of cells) expect(cell.statedP).toBeCloseTo(cell.trueP, 12);
      // Stated = true p is calibrated: E[y] = E[p], so over 2,000 Bernoulli draws the pass rate
      // sits within 0.02 (about 2.5 standard errors) of the mean stated p.
      const meanP = cells.reduce((s, c) => s + c.statedP, 0) / cells.length;
      const passRate = cells.filter((c) => c.resolved).length / cells.length;
      expect(Math.abs(meanP - passRate)).toBeLessThan(0.02);
    }
    expect(simulation.matrix.workerIds).toHaveLength(6);
  });

  it('a fixed positive bias makes every worker over-confident', () => {
    const spec = withStated(paperPreset, { auroc: undefined, meanP: undefined, bias: 1, resolution: 1, noise: 0, step: 0 });
    const { byWorker } = statedByWorker(spec, 300, 5);
    for (const worker of spec.workers) {
      for (const cell of byWorker(worker.id)) expect(cell.statedP).toBeGreaterThan(cell.trueP);
    }
  });

  it('fits ability so the expected pass rate over the drawn tasks equals the target', () => {
    const { simulation, byWorker } = statedByWorker(paperPreset, 500, 6);
    for (const worker of paperPreset.workers) {
      const cells = byWorker(worker.id);
      const expected = cells.reduce((s, c) => s + c.trueP, 0) / cells.length;
      expect(expected).toBeCloseTo(worker.passRate!, 9);
    }
    expect(simulation.fitted).toHaveLength(6);
  });
});

describe('informativeness', () => {
  const level = (k: number, seed = 7) => statedByWorker(withInformativeness(paperPreset, k), 1500, seed);
  const unrounded = (k: number, seed = 7) =>
    statedByWorker(withStated(withInformativeness(paperPreset, k), { step: 0 }), 1500, seed);

  it('level 0 carries no information (AUROC near ½) and level 1 sorts by the truth', () => {
    const none = level(0);
    const full = unrounded(1);
    for (const worker of paperPreset.workers) {
      const noInfo = none.byWorker(worker.id);
      const aurocNone = pairwiseAuroc(noInfo.map((c) => c.statedP), noInfo.map((c) => c.resolved));
      // 1,500 tasks, about 300 failures: the AUROC of a pure-noise score has standard error ≈ 0.018.
      expect(Math.abs(aurocNone - 0.5)).toBeLessThan(0.06);
      const informed = full.byWorker(worker.id);
      // At level 1 the stated log-odds are the true ones shifted by a constant bias, so without
      // rounding the stated p ranks tasks exactly as the true p does.
      const aurocFull = pairwiseAuroc(informed.map((c) => c.statedP), informed.map((c) => c.resolved));
      const aurocTrue = pairwiseAuroc(informed.map((c) => c.trueP), informed.map((c) => c.resolved));
      expect(aurocFull).toBeCloseTo(aurocTrue, 12);
    }
  });

  it('changes only the bids: tasks and outcomes stay the same at every level', () => {
    const low = level(0.2);
    const high = level(0.8);
    expect(high.simulation.tasks).toEqual(low.simulation.tasks);
    expect(high.simulation.attempts).toEqual(low.simulation.attempts);
    expect(high.simulation.forecasts).not.toEqual(low.simulation.forecasts);
  });

  it('rejects a level outside [0, 1]', () => {
    expect(() => withInformativeness(paperPreset, 1.5)).toThrow(/informativeness must be in \[0, 1\]/);
  });
});

describe('determinism', () => {
  it('same seed gives the same simulation, a different seed a different one', () => {
    const a = simulatePopulation({ spec: paperPreset, tasks: 200, random: new Random(11) });
    const b = simulatePopulation({ spec: paperPreset, tasks: 200, random: new Random(11) });
    const c = simulatePopulation({ spec: paperPreset, tasks: 200, random: new Random(12) });
    expect(b.matrix).toEqual(a.matrix);
    expect(b.tasks).toEqual(a.tasks);
    expect([...c.matrix.cells.values()].map((cell) => cell.p)).not.toEqual([...a.matrix.cells.values()].map((cell) => cell.p));
    expect([...c.matrix.cells.values()].map((cell) => cell.resolved)).not.toEqual(
      [...a.matrix.cells.values()].map((cell) => cell.resolved),
    );
  });

  it('the first n tasks of a longer simulation are the tasks of a simulation of n', () => {
    const short = simulatePopulation({ spec: paperPreset, tasks: 50, random: new Random(13) });
    const long = simulatePopulation({ spec: paperPreset, tasks: 120, random: new Random(13) });
    expect(long.tasks.slice(0, 50)).toEqual(short.tasks);
  });
});
