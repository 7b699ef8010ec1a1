import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { queryStore } from '../support/query-store.js';
import { spawnCli } from '../support/spawn-cli.js';

const KEYS = { OPENAI_API_KEY: 'sk-interrupt-test-0000' };
const TASKS = 20;

function reply(request: FakeRequest) {
  const i = Number(/Task id: \S+-(\d+)/.exec(request.prompt)?.[1] ?? 0);
  return { text: JSON.stringify({ p_success: (i % 10) / 10, expected_tokens: 1000 + i, rationale: `task ${i}` }), delayMs: 60 };
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: reply });
  dir = mkdtempSync(join(tmpdir(), 'mb-interrupt-'));
  const lines = Array.from({ length: TASKS }, (_, i) => JSON.stringify({ instance_id: `org__pkg-${i}`, repo: 'org/pkg', base_commit: 'abc', problem_statement: `Fix bug ${i}`, FAIL_TO_PASS: '["test_a"]', PASS_TO_PASS: '[]' }));
  writeFileSync(join(dir, 'tasks.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Ctrl-C (SIGINT) mid-run', () => {
  it('elicit saves what finished, prints how to resume and exits 130, so `elicit && report` stops; the rerun finishes and exits 0', async () => {
    const args = ['elicit', '--tasks', 'tasks.jsonl', '--models', 'openai:gpt-5.2', '--db', 'run.db', '--base-url', server.baseUrl('openai-chat'), '--concurrency', '2'];
    const first = spawnCli({ args, cwd: dir, env: KEYS });
    server.onRequest = () => {
      if (server.requests.length + 1 === 6) first.process.kill('SIGINT');
    };
    const interrupted = await first.done;
    server.onRequest = undefined;
    expect(interrupted.signal, interrupted.output).toBeNull();
    expect(interrupted.code, interrupted.output).toBe(130);
    expect(interrupted.output).toContain('stopped by signal; rerun the same command to resume');
    expect(interrupted.output).not.toContain('marketbench: ');
    const [saved] = queryStore(join(dir, 'run.db'), 'SELECT count(*) AS n FROM forecasts WHERE valid = 1') as { n: number }[];
    expect(saved?.n).toBeGreaterThan(0);
    expect(saved?.n).toBeLessThan(TASKS);

    const rerun = await spawnCli({ args, cwd: dir, env: KEYS }).done;
    expect(rerun.code, rerun.output).toBe(0);
    expect(queryStore(join(dir, 'run.db'), 'SELECT count(*) AS n FROM forecasts WHERE valid = 1')).toEqual([{ n: TASKS }]);
  }, 60_000);
});
