import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bin, without type declarations
import { chooseRuntime } from '../../bin/runtime-choice.js';
import { commands } from '../../src/cli/commands/index.js';
import { commandsFor } from '../../src/cli/main.js';
import { tempDir } from '../support/temp-dir.js';

const projectRoot = resolve(import.meta.dirname, '../..');
type Choice = { use: 'dist' | 'tsx'; reason: string };
const choose = chooseRuntime as (root: string, env?: Record<string, string>) => Choice;

/** A fake package folder: src/ with one file, optionally dist/ with a stamp, optionally .git. */
function fakePackage(options: { dist: boolean; git: boolean; stampAgeS?: number; sourceAgeS: number }): string {
  const root = tempDir('mb-bin-');
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  const now = Date.now() / 1000;
  const source = join(root, 'src', 'cli', 'main.ts');
  writeFileSync(source, 'export {};\n');
  utimesSync(source, now - options.sourceAgeS, now - options.sourceAgeS);
  writeFileSync(join(root, 'package.json'), '{}\n');
  utimesSync(join(root, 'package.json'), now - 1000, now - 1000);
  if (options.git) mkdirSync(join(root, '.git'));
  if (options.dist) {
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), 'export {};\n');
    if (options.stampAgeS !== undefined) {
      const stamp = join(root, 'dist', 'build-stamp.json');
      writeFileSync(stamp, '{}\n');
      utimesSync(stamp, now - options.stampAgeS, now - options.stampAgeS);
    }
  }
  return root;
}

describe('the bin chooses compiled dist/ or src/ through tsx', () => {
  it('runs dist/ in an installed package (no .git), whatever the times', () => {
    expect(choose(fakePackage({ dist: true, git: false, sourceAgeS: 10 }), {}).use).toBe('dist');
  });

  it('falls back to tsx when dist/ is missing', () => {
    const choice = choose(fakePackage({ dist: false, git: true, sourceAgeS: 10 }), {});
    expect(choice).toEqual({ use: 'tsx', reason: 'dist/ is missing (run npm run build)' });
  });

  it('in a checkout, runs dist/ only when the build started after the last source edit', () => {
    expect(choose(fakePackage({ dist: true, git: true, stampAgeS: 5, sourceAgeS: 60 }), {}).use).toBe('dist');
    const stale = choose(fakePackage({ dist: true, git: true, stampAgeS: 60, sourceAgeS: 5 }), {});
    expect(stale.use).toBe('tsx');
    expect(stale.reason).toContain('src/cli/main.ts changed after the build');
    expect(choose(fakePackage({ dist: true, git: true, sourceAgeS: 5 }), {}).use).toBe('tsx');
  });

  it('obeys MARKETBENCH_RUNTIME', () => {
    const root = fakePackage({ dist: true, git: false, sourceAgeS: 10 });
    expect(choose(root, { MARKETBENCH_RUNTIME: 'tsx' }).use).toBe('tsx');
  });

  it('says under --debug which one this checkout uses, and prints the package version', () => {
    const run = spawnSync(process.execPath, [join(projectRoot, 'bin', 'marketbench.js'), '--debug', '--version'], { encoding: 'utf8' });
    const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    const expected = choose(projectRoot, {});
    const label = expected.use === 'dist' ? 'compiled dist/' : 'src/ through tsx';
    expect(run.stderr).toBe(`marketbench: running ${label} (${expected.reason})\n`);
    const quiet = spawnSync(process.execPath, [join(projectRoot, 'bin', 'marketbench.js'), '--version'], { encoding: 'utf8' });
    expect(quiet.stderr).toBe('');
  });
});

describe('commands load on use', () => {
  const names = (argv: string[]) => commandsFor(['node', 'marketbench', ...argv]).map((command) => command.name);

  it('loads no command for --version, only the named one otherwise', () => {
    expect(names(['--version'])).toEqual([]);
    expect(names(['--debug', 'replay', '--help'])).toEqual(['replay']);
    expect(names(['help', 'elicit'])).toEqual(['elicit']);
  });

  it('loads every command for help, no command or an unknown one', () => {
    for (const argv of [['--help'], [], ['no-such-command']]) expect(names(argv)).toEqual(commands.map((command) => command.name));
  });
});
