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

describe('a market refused for an arm found wrong only once the store is open', () => {
  const market = 'workers:\n  - id: a\n    model: mock:calibrated\n  - id: b\n    model: mock:overconfident\n';
  it.each([
    { arms: 'bogus', says: /^marketbench: field 'arms': unknown mechanism 'bogus' in 'bogus'; known: / },
    { arms: 'solo:nobody', says: /^marketbench: field 'arms': unknown worker 'nobody' in mechanism 'solo:nobody'; workers in the matrix: a, b$/ },
  ])('--arms $arms: one line naming the arms, and no new store; an existing store is kept as it was', async ({ arms, says }) => {
    writeFileSync(join(dir, 'two.yaml'), market);
    const args = (db: string) => ['market', '--workers', 'two.yaml', '--suite', 'builtin', '--limit', '1', '--arms', arms, '--db', db];
    const fresh = await spawnCli({ args: args('fresh.db'), cwd: dir }).done;
    expect(fresh.code, fresh.output).toBe(1);
    expect(fresh.output.trim().split('\n').at(-1)).toMatch(says);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(join(dir, `fresh.db${suffix}`))).toBe(false);

    const kept = await spawnCli({ args: ['market', '--workers', 'two.yaml', '--suite', 'builtin', '--limit', '1', '--arms', 'solo:a', '--db', 'kept.db'], cwd: dir }).done;
    expect(kept.code, kept.output).toBe(0);
    expect((await spawnCli({ args: args('kept.db'), cwd: dir }).done).code).toBe(1);
    expect(existsSync(join(dir, 'kept.db'))).toBe(true);
  }, 60_000);
});
