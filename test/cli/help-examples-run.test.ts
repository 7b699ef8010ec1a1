import { describe, expect, it } from 'vitest';
import { HELP_EXAMPLES } from '../../src/cli/help-examples.js';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-help-examples-');

/** The `--help` examples that read the demo's store: they run as written once `demo` has run. */
const onDemoStore = Object.values(HELP_EXAMPLES)
  .flat()
  .filter((line) => line.includes('marketbench-demo/marketbench.db'));

describe('--help examples on the demo store run as written', () => {
  it('there are some, and each exits 0 after `marketbench demo`', async () => {
    expect(onDemoStore.length).toBeGreaterThanOrEqual(3);
    // The demo writes marketbench-demo/ in the working directory, as a newcomer's first command does.
    const demo = await spawnCli({ args: ['demo', '--tasks', '40', '--resamples', '200'], cwd: dir }).done;
    expect(demo.code, demo.output).toBe(0);
    for (const line of onDemoStore) {
      const [bin, ...args] = line.split(' ');
      expect(bin).toBe('marketbench');
      const result = await spawnCli({ args, cwd: dir }).done;
      expect(result.code, `${line}\n${result.output}`).toBe(0);
    }
  });
});
