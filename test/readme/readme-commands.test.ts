import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { tempDir } from '../support/temp-dir.js';

const root = resolve(import.meta.dirname, '../..');
const data = resolve(root, '../shared/data');
const availability = await localSandboxAvailability();

/** Providers whose calls need a key (README lines naming them are not run). */
const KEYED = /\b(openai|openai-chat|anthropic|google|openrouter):/;

/** Every `marketbench …` command line of the README's ```sh blocks, continuation lines joined. */
function readmeCommands(text: string): { line: number; command: string; skip: string | null }[] {
  const out: { line: number; command: string; skip: string | null }[] = [];
  const lines = text.split('\n');
  let inBlock = false;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string;
    if (/^```sh\s*$/.test(raw)) {
      inBlock = true;
      continue;
    }
    if (raw.startsWith('```')) {
      inBlock = false;
      continue;
    }
    if (!inBlock || !raw.startsWith('marketbench ')) continue;
    const start = index;
    let command = raw;
    while (command.trimEnd().endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      command = `${command.trimEnd().slice(0, -1).trimEnd()} ${(lines[index] as string).trim()}`;
    }
    const comment = /\s{2,}#\s*(.*)$/.exec(command);
    const needs = comment?.[1]?.startsWith('needs') ? comment[1] : null;
    const bare = comment ? command.slice(0, comment.index).trim() : command.trim();
    out.push({ line: start + 1, command: bare, skip: needs ?? (KEYED.test(bare) ? 'needs an API key' : null) });
  }
  return out;
}

describe('README command lines', () => {
  it('the extractor joins continuations, drops comments and marks what needs keys or user files', () => {
    const sample = ['```sh', 'marketbench a --x 1 \\', '  --y 2   # note', 'marketbench b --models openai:gpt-5.2', 'marketbench c  # needs your own tasks.jsonl', '```', 'marketbench d'].join('\n');
    expect(readmeCommands(sample)).toEqual([
      { line: 2, command: 'marketbench a --x 1 --y 2', skip: null },
      { line: 4, command: 'marketbench b --models openai:gpt-5.2', skip: 'needs an API key' },
      { line: 5, command: 'marketbench c', skip: 'needs your own tasks.jsonl' },
    ]);
  });

  // Minutes of work (demo, sweeps, markets, reports): run by `npm run check:readme` and CI, not by every `npm test`.
  it.skipIf(!process.env.README_CHECK || !existsSync(data) || !availability.ok)('every line that needs no key runs as written, in order, from a temp folder (DATA set)', () => {
    const dir = tempDir('mb-readme-');
    const bin = join(dir, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'marketbench'), `#!/bin/sh\nexec node ${JSON.stringify(join(root, 'bin/marketbench.js'))} "$@"\n`);
    chmodSync(join(bin, 'marketbench'), 0o755);
    const commands = readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'));
    const run = commands.filter((entry) => entry.skip === null);
    expect(run.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const timings: { line: number; ms: number }[] = [];
    for (const entry of run) {
      const started = performance.now();
      const result = spawnSync('bash', ['-c', entry.command], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, DATA: data },
        encoding: 'utf8',
        timeout: 180_000,
      });
      timings.push({ line: entry.line, ms: performance.now() - started });
      if (result.status !== 0) failures.push(`README.md:${entry.line}: \`${entry.command}\` exited ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' / ')}`);
    }
    // Where the check's minutes go, so a slow example is found without timing each line by hand.
    const total = timings.reduce((sum, entry) => sum + entry.ms, 0);
    const slowest = timings.sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(`README check: ${run.length} lines in ${(total / 1000).toFixed(0)} s; slowest: ${slowest.map((entry) => `README.md:${entry.line} ${(entry.ms / 1000).toFixed(1)} s`).join(', ')}`);
    expect(failures).toEqual([]);
  }, 1_800_000);
});
