import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';
import { tempDir } from '../support/temp-dir.js';

const availability = await localSandboxAvailability();
// Port 9 (discard) on the loopback: nothing listens, so every connection is refused at once.
const UNREACHABLE = 'http://127.0.0.1:9/v1';

describe.skipIf(!availability.ok)('an unreachable model', () => {
  it('attempt: a failed job (not a resolved=false attempt), exit 1 naming the error; a rerun retries the job', async () => {
    const dir = tempDir('mb-unreachable-');
    const args = ['attempt', '--suite', 'builtin', '--workers', 'ollama:nobody-home', '--limit', '1', '--db', 'a.db', '--base-url', UNREACHABLE, '--max-retries', '0'];
    const first = await runCli(args, { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/every attempt of run attempt-\w+ failed \(1\); first error: infrastructure error, retried on the next run/);
    expect(queryStore(join(dir, 'a.db'), 'select * from attempts')).toEqual([]);
    const jobs = () => queryStore(join(dir, 'a.db'), "select status, tries from jobs where kind = 'attempt'") as { status: string; tries: number }[];
    expect(jobs()).toEqual([{ status: 'failed', tries: 1 }]);
    const second = await runCli(args, { cwd: dir });
    expect(second.code).toBe(1);
    expect(jobs()).toEqual([{ status: 'failed', tries: 2 }]);
  }, 60_000);
});

describe('elicit when every call fails', () => {
  it('exits 1 and says so', async () => {
    const dir = tempDir('mb-unreachable-elicit-');
    writeFileSync(join(dir, 'tasks.jsonl'), `${JSON.stringify({ id: 't1', statement: 'fix it' })}\n${JSON.stringify({ id: 't2', statement: 'fix that' })}\n`);
    const run = await runCli(['elicit', '--tasks', 'tasks.jsonl', '--models', 'ollama:nobody-home', '--db', 'e.db', '--base-url', UNREACHABLE, '--max-retries', '0'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/every call of run elicit-\w+ failed \(2\)/);
  }, 60_000);
});
