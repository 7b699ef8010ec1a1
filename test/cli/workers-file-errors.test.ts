import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-workers-file-');

describe('a workers or market file that is missing or holds no workers: one line naming the file and what was expected', () => {
  it.each([
    { command: 'market', file: 'nope.yaml', content: undefined, says: 'nope.yaml: cannot read workers file: no such file' },
    { command: 'attempt', file: 'empty.yaml', content: '', says: 'empty.yaml: the file is empty; expected a list of workers, or workers: with a list (marketbench init writes an example)' },
    { command: 'attempt', file: 'none.yaml', content: '[]\n', says: 'none.yaml:1: the list of workers is empty; expected a list of workers, or workers: with a list (marketbench init writes an example)' },
    {
      command: 'market',
      file: 'router-only.yaml',
      content: 'router:\n  model: mock:calibrated\n',
      says: "router-only.yaml:1: field 'workers': missing; expected a list of workers under workers: (marketbench init writes an example)",
    },
  ])('$command --workers $file', async ({ command, file, content, says }) => {
    if (content !== undefined) writeFileSync(join(dir, file), content);
    const db = `${file}.db`;
    const result = await spawnCli({ args: [command, '--workers', file, '--suite', 'builtin', '--db', db], cwd: dir }).done;
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(`marketbench: ${join(dir, says)}`);
    expect(existsSync(join(dir, db))).toBe(false);
  });
});
