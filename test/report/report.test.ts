import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LabeledForecast, Random } from '../../src/core/index.js';
import { analyzeRows } from '../../src/metrics/analyze.js';
import { buildReport, compileChart, reportCharts } from '../../src/report/index.js';
import { runDemo } from '../../src/app/run-demo.js';
import { runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('mb-report-');
const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Any network request would fail: the page must render from the file alone.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

describe('marketbench report from a demo database', () => {
  let html = '';
  let runId = '';
  beforeAll(async () => {
    const demo = runDemo({ outDir: join(dir, 'demo'), tasks: 120, resamples: 200, seed: 3 });
    runId = demo.simulateRunId;
    const result = await runCli(
      ['report', '--db', 'demo/marketbench.db', '--run', runId, '--out', 'report.html', '--png', 'png', '--resamples', '200'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  it('embeds every chart as inline SVG and every table as plain HTML', () => {
    for (const name of ['reliability', 'stated-vs-actual', 'token-ratio', 'auction-profit', 'win-share', 'frontier']) {
      expect(html, name).toMatch(new RegExp(`<figure id="chart-${name}"><h3>[^<]+</h3><svg`));
    }
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(5);
    // Six simulated workers + overall in the calibration table, and the oracle in the replay table.
    expect(html).toContain('<td>gpt-5-mini</td>');
    expect(html).toContain('<td>oracle</td>');
  });

  it('holds no external URL, no script and no remote resource', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(/i);
  });

  it('states the parameters needed to reproduce it', () => {
    for (const text of ['failure penalty F', 'reserve r', 'value per solved task V', 'max attempts per task', 'version: marketbench', `run ${runId}`]) {
      expect(html).toContain(text);
    }
  });

  it('writes every chart as a PNG', () => {
    const files = readdirSync(join(dir, 'png')).sort();
    expect(files).toEqual(['auction-profit.png', 'frontier.png', 'reliability.png', 'stated-vs-actual.png', 'token-ratio.png', 'win-share.png']);
    for (const file of files) {
      const bytes = readFileSync(join(dir, 'png', file));
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(bytes.readUInt32BE(16)).toBeGreaterThan(300); // width from the IHDR chunk
    }
  });

  it.skipIf(!CHROMIUM)('opens offline in headless Chromium, which draws every chart (screenshot kept)', () => {
    const profile = join(dir, 'chromium-profile');
    const page = `file://${join(dir, 'report.html')}`;
    const dom = spawnSync(CHROMIUM as string, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--dump-dom', page], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout.match(/<svg/g)?.length).toBe(6);
    const shot = join(dir, 'report.png');
    const screenshot = spawnSync(
      CHROMIUM as string,
      [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--window-size=1200,4000', `--screenshot=${shot}`, page],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(screenshot.status, screenshot.stderr).toBe(0);
    // A blank 1200×4000 page compresses to a few kilobytes; tables and six charts do not.
    expect(statSync(shot).size).toBeGreaterThan(100_000);
    mkdirSync(artifacts, { recursive: true });
    copyFileSync(shot, join(artifacts, 'report-screenshot.png'));
  });
});

if (!CHROMIUM) console.warn('report test: no Chromium at /usr/bin/chromium (apt-get install chromium); the browser check is skipped');

describe('report charts', () => {
  /** Two treatments on the same tasks: `card` moves every p halfway towards the outcome. */
  function twoTreatments(): LabeledForecast[] {
    const random = new Random(5);
    const rows: LabeledForecast[] = [];
    for (let task = 0; task < 40; task++) {
      for (const workerId of ['a', 'b']) {
        const y = random.bernoulli(0.6) ? 1 : 0;
        const p = 0.8;
        const base = { taskId: `t${task}`, workerId, expectedTokens: 1000, y: y as 0 | 1, tokens: 4000, costUsd: 0.04, blendedPrice: 1e-5, groups: {} };
        rows.push({ ...base, treatment: 'direct', p });
        rows.push({ ...base, treatment: 'card', p: (p + y) / 2 });
      }
    }
    return rows;
  }

  it('every chart specification compiles, including the treatment deltas', async () => {
    const rows = twoTreatments();
    const analysis = analyzeRows(rows, { random: new Random(1), resamples: 100, compare: { baseline: 'direct', treatment: 'card' } });
    const input = { title: 't', sources: [], analysis, rows, versions: {}, generatedAt: 'now' };
    const { calibration, market } = reportCharts(input);
    const names = [...calibration, ...market].map((chart) => chart.name);
    expect(names).toEqual(['reliability', 'stated-vs-actual', 'token-ratio', 'treatment-deltas', 'auction-profit', 'win-share']);
    for (const chart of [...calibration, ...market]) expect(() => compileChart(chart)).not.toThrow();
    const built = await buildReport(input);
    expect(built.html).toContain('id="chart-treatment-deltas"');
    // Moving p halfway to the outcome lowers every Brier score, so every Brier delta is negative.
    const brierDeltas = Object.values(analysis.comparison?.byWorker ?? {}).map((delta) => delta.brier);
    expect(brierDeltas).toHaveLength(2);
    for (const delta of brierDeltas) expect(delta).toBeLessThan(0);
  });
});
