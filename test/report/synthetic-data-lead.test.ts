import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-synthetic-lead-');

/** The report's lead paragraph, as the page shows it. */
function lead(file: string): string {
  const match = /<p class="lead">([^<]*)<\/p>/.exec(readFileSync(join(dir, file), 'utf8'));
  return match?.[1] ?? '';
}

async function cli(args: string[]): Promise<void> {
  const result = await spawnCli({ args, cwd: dir }).done;
  expect(result.code, `marketbench ${args.join(' ')}\n${result.output}`).toBe(0);
}

describe('a report of mock or simulated data says so first', () => {
  it('names the mock workers of a market run and the simulated run, each only in its own report; --db defaults to marketbench.db', async () => {
    // One store holding a mock market (from `init`) and a simulation, as a newcomer's folder does.
    await cli(['init']);
    await cli(['market', '--workers', 'market.yaml', '--suite', 'builtin', '--limit', '1', '--arms', 'scoring', '--run', 'm1']);
    await cli(['simulate', '--tasks', '30', '--seed', '3']);

    await cli(['report', '--run', 'm1', '--out', 'market.html']);
    expect(lead('market.html')).toMatch(/^MOCK data: mock-[a-z]+(, mock-[a-z]+)* ran on the offline mock provider, so (its|their) forecasts and outcomes are synthetic/);
    expect(lead('market.html')).not.toContain('SIMULATED');

    await cli(['report', '--run', 'simulate-paper-s3-n30', '--out', 'simulated.html']);
    expect(lead('simulated.html')).toMatch(/^SIMULATED data: simulate-paper-s3-n30 is a simulated run/);
    expect(lead('simulated.html')).not.toContain('MOCK');

    await cli(['demo', '--tasks', '30', '--resamples', '100', '--out', 'demo']);
    expect(lead(join('demo', 'report.html'))).toMatch(/^SIMULATED data: simulate-paper-s1-n30 is a simulated run/);
  });
});

describe('the run viewer says so too', () => {
  it('a simulated store is marked SIMULATED in the header; a mock market is marked MOCK and not SIMULATED', async () => {
    await cli(['simulate', '--tasks', '20', '--db', 'sim.db']);
    await cli(['view', '--db', 'sim.db', '--out', 'sim-view.html']);
    const header = (file: string) => /<header>([\s\S]*?)<\/header>/.exec(readFileSync(join(dir, file), 'utf8'))?.[1] ?? '';
    expect(header('sim-view.html')).toContain('includes SIMULATED runs (synthetic workers and tasks)');
    expect(header('sim-view.html')).not.toContain('MOCK');
    // marketbench.db and its mock market run m1 come from the test above (tests in a file run in order).
    await cli(['view', '--db', 'marketbench.db', '--run', 'm1', '--out', 'market-view.html']);
    expect(header('market-view.html')).toContain('includes MOCK (synthetic) workers');
    expect(header('market-view.html')).not.toContain('SIMULATED');
  });
});
