import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-usage-');

describe('usage errors: a short message that says where the usage is, not the whole help', () => {
  it.each([
    { args: ['demoo'], says: ["error: unknown command 'demoo'", '(Did you mean demo?)', '(see: marketbench --help)'] },
    { args: ['demo', '--seeed', '2'], says: ["error: unknown option '--seeed'", '(Did you mean --seed?)', '(see: marketbench demo --help)'] },
    { args: ['db', 'infoo'], says: ["error: unknown command 'infoo'", '(Did you mean info?)', '(see: marketbench db --help)'] },
    { args: ['replay', '--format'], says: ["error: option '--format <format>' argument missing", '(see: marketbench replay --help)'] },
  ])('marketbench $args', async ({ args, says }) => {
    const result = await spawnCli({ args, cwd: dir }).done;
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n')).toEqual(says);
  });
});
