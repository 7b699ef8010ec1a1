import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runPlansMarket } from '../market/plans-fixtures.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the plan-analysis store test: ${availability.reason}`);

describe.skipIf(!availability.ok)('marketbench analyze --db on a market with plan arms', () => {
  it('adds stated p against outcomes per budget level, counting every capped attempt once', async () => {
    const { dir, result: market } = await runPlansMarket('mb-analyze-plans-');
    expect(market.code, market.stderr).toBe(0);
    const result = await runCli(['analyze', '--db', 'm.db', '--resamples', '0'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    // The attempts run under a plan's caps, straight from the store.
    const capped = queryStore(
      join(dir, 'm.db'),
      "select a.resolved from attempts a join jobs j on j.key = a.job_key where json_extract(j.payload, '$.job.caps') is not null",
    ) as { resolved: number }[];
    expect(capped.length).toBeGreaterThan(0);
    const match = result.stdout.match(/Production plans: (\d+) attempts under won plans/);
    expect(match?.[1]).toBe(String(capped.length));
    const json = JSON.parse((await runCli(['analyze', '--db', 'm.db', '--resamples', '0', '--format', 'json'], { cwd: dir })).stdout) as {
      plans: { calibration: { overall: { n: number; observedRate: number }[] }; monotonicity: { menus: number; monotoneShare: number } };
    };
    const overall = json.plans.calibration.overall;
    expect(overall.reduce((sum, level) => sum + level.n, 0)).toBe(capped.length);
    const solved = overall.reduce((sum, level) => sum + level.n * level.observedRate, 0);
    expect(solved).toBeCloseTo(capped.filter((row) => row.resolved === 1).length, 9);
    // Six valid menus (2 workers × 3 tasks); the treatment stores only menus whose p rises with the budget.
    expect(json.plans.monotonicity.menus).toBe(6);
    expect(json.plans.monotonicity.monotoneShare).toBe(1);
  }, 240_000);
});
