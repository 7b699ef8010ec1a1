import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

describe('marketbench sweep --strategic', () => {
  it('prints per-mechanism converged shading and welfare as JSON, and writes the incentives report', async () => {
    const dir = tempDir();
    const result = await runCli(
      ['sweep', '--strategic', '--mechanisms', 'reserve,proper', '--rounds', '12', '--seeds', '2', '--tasks', '6', '--format', 'json', '--report', 'inc.html'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      settings: { tasks: number; rounds: number; seeds: number[] };
      mechanisms: { mechanism: string; welfare: { mean: number }; honestWelfare: { mean: number }; welfareLoss: { mean: number }; path: unknown[] }[];
    };
    expect(report.settings).toMatchObject({ tasks: 6, rounds: 12, seeds: [1, 2] });
    expect(report.mechanisms.map((m) => m.mechanism)).toEqual(['reserve', 'proper']);
    for (const m of report.mechanisms) {
      expect(m.path).toHaveLength(12);
      expect(m.welfareLoss.mean).toBeCloseTo(m.honestWelfare.mean - m.welfare.mean, 9);
    }
    const html = readFileSync(join(dir, 'inc.html'), 'utf8');
    expect(html).toContain('id="incentives"');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/https?:\/\//);
    // One table row per mechanism in the welfare-loss table.
    expect(html.match(/<tr><td>(reserve|proper)<\/td>/g)).toHaveLength(2);
  });

  it('refuses an unknown mechanism by name, writing nothing', async () => {
    const dir = tempDir();
    const result = await runCli(['sweep', '--strategic', '--mechanisms', 'reserve,vickrey', '--report', 'x.html'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown mechanism 'vickrey'");
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });
});
