import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';
import { tempDir } from '../support/temp-dir.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const availability = await localSandboxAvailability();
const artifacts = resolve(import.meta.dirname, '../../test-artifacts');
if (!CHROMIUM) console.warn('view test: no Chromium at /usr/bin/chromium; the browser check is skipped');

describe.skipIf(!CHROMIUM || !availability.ok)('marketbench view in headless Chromium', () => {
  const dir = tempDir('mb-view-');
  let viewFile = '';
  beforeAll(async () => {
    expect((await runCli(['init', '.'], { cwd: dir })).code).toBe(0);
    const market = await runCli(['market', '--workers', 'market.yaml', '--suite', 'builtin', '--limit', '2'], { cwd: dir });
    expect(market.code, market.stderr).toBe(0);
    const view = await runCli(['view'], { cwd: dir });
    expect(view.code, view.stderr).toBe(0);
    viewFile = join(dir, 'marketbench-view.html');
    expect(view.stdout).toContain('marketbench-view.html');
  }, 120_000);

  it('click into a task: its forecasts, bids with score parts, the router call, and each attempt with steps, diff and judge log', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(`file://${viewFile}`);
      // One run: the page opens on it; the store's task ids are listed.
      const taskIds = (queryStore(join(dir, 'marketbench.db'), 'select distinct task_id as id from attempts order by 1') as { id: string }[]).map((row) => row.id);
      expect(taskIds).toHaveLength(2);
      await expect(page.locator('a.task-link').allTextContents()).resolves.toEqual(taskIds);
      await page.locator('a.task-link', { hasText: taskIds[0] as string }).click();
      await page.locator('h2', { hasText: 'Attempts' }).waitFor();

      const attempts = queryStore(join(dir, 'marketbench.db'), `select count(*) as n from attempts where task_id = '${taskIds[0]}'`) as { n: number }[];
      await expect(page.locator('details.attempt').count()).resolves.toBe(attempts[0]?.n);
      // The mock agent's first command is listing the repository; its output is shown.
      await expect(page.locator('pre.command').first().textContent()).resolves.toBe('$ git ls-files | head -50');
      await expect(page.locator('pre.output').first().textContent()).resolves.toContain('package.json');
      await expect(page.locator('pre.diff').first().textContent()).resolves.toMatch(/^diff --git/);
      await expect(page.locator('pre.judge').first().textContent()).resolves.toContain('TAP version');
      // 3 workers bid in the scoring arm's first round: p, ask, e, φ and score per bid.
      await expect(page.locator('table.bids').first().locator('tbody tr').count()).resolves.toBe(3);
      await expect(page.locator('div.router').first().textContent()).resolves.toMatch(/router call \(mock:calibrated\): chose mock-/);

      // Filter by outcome: only resolved attempts' tasks remain, and arm filter narrows rounds.
      await page.selectOption('#filter-arm', 'central');
      await expect(page.locator('div.round h4').allTextContents()).resolves.toSatisfy((heads: string[]) => heads.length > 0 && heads.every((head) => head.startsWith('central')));
      const shot = join(dir, 'view.png');
      await page.selectOption('#filter-arm', '');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(50_000);
      mkdirSync(artifacts, { recursive: true });
      copyFileSync(shot, join(artifacts, 'view-task-screenshot.png'));

      await page.goto(`file://${viewFile}#run=${encodeURIComponent(queryStoreRunId(dir))}&outcome=none`);
      await expect(page.locator('p.count').textContent()).resolves.toBe('0 of 2 tasks');
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('is one self-contained file: no external script, style or fetch', () => {
    const html = readFileSync(viewFile, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|fetch\(/);
    expect(html).toContain('MOCK (synthetic)');
  });
});

function queryStoreRunId(dir: string): string {
  const rows = queryStore(join(dir, 'marketbench.db'), "select id from runs where kind = 'market'") as { id: string }[];
  return rows[0]?.id ?? '';
}

describe('marketbench view errors', () => {
  it('a missing store is an error and nothing is created', async () => {
    const dir = tempDir('mb-view-err-');
    const result = await runCli(['view', '--db', 'typo.db'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--db typo\.db: no such store \(nothing was created\)/);
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
    expect(existsSync(join(dir, 'typo-view.html'))).toBe(false);
  });
});
