import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { market } from '../../src/app/market.js';
import { Store } from '../../src/runtime/store/index.js';
import { recalibrations } from '../../src/runtime/store/recalibration-rows.js';
import { scriptedSuite, scriptedTask } from '../support/scripted-sandbox.js';
import { scriptedMarketScript, useMarketWorkspace } from './market-fixtures.js';

// `market --recalibrate`: the scoring arm bids a mapped worker's stated p through its map. On the
// scripted sandbox, bold (p 0.95, never solves) wins round 1 raw; with a map that lowers its p,
// careful (p 0.6, solves) wins round 1 instead. Scores worked out by hand from DESIGN §5.
const TASK = scriptedTask('delta', 'green');

/** Isotonic map of bold through (0.2, 0.1) and (1.0, 0.3): 0.95 → 0.1 + (0.75 / 0.8)·0.2 = 0.2875. */
const BOLD_MAP = {
  format: 'marketbench-calibration-map',
  version: 1,
  workerId: 'bold',
  method: 'isotonic',
  rows: 40,
  positives: 8,
  tasks: 40,
  source: 'hand-made',
  fit: { x: [0.2, 1.0], y: [0.1, 0.3] },
};

// B = 90 credits, 10 credits per USD, ask 10; e = 1000 forecast tokens × blended price (fresh store,
// no history): bold 1000 × 1e-6 USD × 10 = 0.01, careful 1000 × 5e-7 × 10 = 0.005 credits.
// φ = 0.1·B·(0.5 + p); score = p·B − a − e − (1 − p)·φ.
const BOLD_RAW = 0.95 * 90 - 10 - 0.01 - 0.05 * (9 * 1.45); // 74.8375
const CAREFUL = 0.6 * 90 - 10 - 0.005 - 0.4 * (9 * 1.1); // 40.035
const BOLD_MAPPED = 0.2875 * 90 - 10 - 0.01 - 0.7125 * (9 * 0.7875); // 10.81515625

const workspace = useMarketWorkspace({ prefix: 'mb-market-recal-', script: scriptedMarketScript([TASK]) });
beforeEach(() => {
  writeFileSync(join(workspace.dir, 'bold-map.json'), JSON.stringify(BOLD_MAP));
});

const options = (db: string, recalibrate?: string[]) => ({
  db,
  cwd: workspace.dir,
  suite: scriptedSuite([TASK]),
  workersFile: 'market.yaml',
  pricingFile: 'pricing.yaml',
  arms: ['scoring'],
  env: { OPENAI_API_KEY: 'test-key' },
  baseUrl: workspace.server.baseUrl('openai-chat'),
  concurrency: 1,
  ...(recalibrate && { recalibrate }),
});

type ScoredBid = { workerId: string; p: number; pRecalibrated?: number; score: number };

function roundsOf(file: string, runId: string) {
  const store = Store.open(file);
  try {
    return {
      rounds: store.getAllocations({ runId, mechanism: 'scoring' }).map((row) => ({
        round: row.round,
        workerIds: row.workerIds,
        bids: (row.detail as { bids: ScoredBid[] }).bids,
      })),
      forecasts: store.getForecasts({ runId }).map((row) => [row.workerId, row.pSuccess]),
      recalibrations: recalibrations(store, { runId }).map((row) => [row.workerId, row.pRaw, row.pRecalibrated]),
    };
  } finally {
    store.close();
  }
}

describe('market --recalibrate', () => {
  it('raw, bold wins round 1 and fails; with its map lowering p, careful wins round 1; the raw p is kept', async () => {
    const raw = await market(options('raw.db'));
    const rawRun = roundsOf(join(workspace.dir, 'raw.db'), raw.runId);
    expect(rawRun.rounds.map((round) => [round.round, round.workerIds])).toEqual([
      [1, ['bold']],
      [2, ['careful']],
    ]);
    const rawScores = Object.fromEntries((rawRun.rounds[0]?.bids ?? []).map((bid) => [bid.workerId, bid.score]));
    expect(rawScores.bold).toBeCloseTo(BOLD_RAW, 9);
    expect(rawScores.careful).toBeCloseTo(CAREFUL, 9);
    expect(rawRun.recalibrations).toEqual([]);
    expect(raw.recalibrated).toEqual({});

    const mapped = await market(options('mapped.db', ['bold-map.json']));
    expect(mapped.runId).not.toBe(raw.runId);
    expect(mapped.recalibrated).toEqual({ bold: 1 });
    const run = roundsOf(join(workspace.dir, 'mapped.db'), mapped.runId);
    expect(run.rounds.map((round) => [round.round, round.workerIds])).toEqual([[1, ['careful']]]);
    const bids = Object.fromEntries((run.rounds[0]?.bids ?? []).map((bid) => [bid.workerId, bid]));
    expect(bids.bold?.p).toBe(0.95);
    expect(bids.bold?.pRecalibrated).toBeCloseTo(0.2875, 12);
    expect(bids.bold?.score).toBeCloseTo(BOLD_MAPPED, 9);
    expect(bids.careful?.pRecalibrated).toBeUndefined();
    expect(bids.careful?.score).toBeCloseTo(CAREFUL, 9);
    // The forecast rows keep the stated p; the recalibrated one sits beside it.
    expect(run.forecasts.sort()).toEqual([
      ['bold', 0.95],
      ['careful', 0.6],
    ]);
    expect(run.recalibrations).toHaveLength(1);
    expect(run.recalibrations[0]?.[0]).toBe('bold');
    expect(run.recalibrations[0]?.[1]).toBe(0.95);
    expect(run.recalibrations[0]?.[2]).toBeCloseTo(0.2875, 12);
    expect(mapped.comparison.summaries.find((summary) => summary.arm === 'scoring')?.solved).toBe(1);
  });

  it('a map for a worker not on the roster is refused before any call or file', async () => {
    writeFileSync(join(workspace.dir, 'other-map.json'), JSON.stringify({ ...BOLD_MAP, workerId: 'nobody' }));
    await expect(market(options('refused.db', ['other-map.json']))).rejects.toThrow(/map is for worker 'nobody'/);
    expect(workspace.server.requests).toHaveLength(0);
    expect(existsSync(join(workspace.dir, 'refused.db'))).toBe(false);
  });
});
