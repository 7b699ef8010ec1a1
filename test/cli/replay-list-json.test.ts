import { describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-replay-list-');

describe('replay --list --format json', () => {
  it('prints the mechanism specs as JSON, one object per spec', async () => {
    const result = await spawnCli({ args: ['replay', '--list', '--format', 'json'], cwd: dir }).done;
    expect(result.code, result.output).toBe(0);
    const specs = JSON.parse(result.output) as { syntax: string; description: string }[];
    const syntaxes = specs.map((spec) => spec.syntax);
    expect(syntaxes).toContain('oracle');
    expect(syntaxes).toContain('central');
    expect(syntaxes.some((syntax) => syntax.startsWith('solo:'))).toBe(true);
    for (const spec of specs) expect(spec.description.length).toBeGreaterThan(0);
  });
});
