import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryStore } from '../support/query-store.js';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-market-no-bids-');

async function cli(args: string[]): Promise<string> {
  const result = await spawnCli({ args, cwd: dir }).done;
  expect(result.code, `marketbench ${args.join(' ')}\n${result.output}`).toBe(0);
  return result.output;
}

describe('report on a market run whose arms take no bids', () => {
  it('shows the live market and the replay of its outcomes instead of asking for forecasts first', async () => {
    await cli(['init']);
    await cli(['market', '--workers', 'market.yaml', '--suite', 'builtin', '--limit', '2', '--arms', 'solo:mock-strong', '--run', 'solo']);
    const db = join(dir, 'marketbench.db');
    expect(queryStore(db, 'SELECT count(*) AS n FROM forecasts')).toEqual([{ n: 0 }]);
    const [attempts] = queryStore(db, "SELECT count(*) AS n, sum(resolved) AS solved FROM attempts WHERE run_id = 'solo' AND round = 1") as { n: number; solved: number }[];
    expect(attempts?.n).toBe(2);

    // With --run the live market's own section too; without, every run's outcomes replayed.
    for (const args of [['--run', 'solo'], []]) {
      await cli(['report', ...args, '--out', 'r.html']);
      const html = readFileSync(join(dir, 'r.html'), 'utf8');
      expect(html.includes('Live market run solo')).toBe(args.length > 0);
      // The replay's solo row solves what the store's first-round attempts solved, of 2 tasks.
      expect(html).toMatch(new RegExp(`<td>solo:mock-strong</td><td[^>]*>${attempts?.solved}/2</td>`));
      expect(html).not.toContain('How well each worker knows itself');
    }
  }, 120_000);
});
