/**
 * Third red-team round: the agent-step response cache (each step's reply stored under the
 * conversation so far, salted with the attempt's job key). A hostile worker owns its model's
 * replies; through the public `attempt` command (real store, real sandbox, real judge, the fake
 * model server over HTTP) it tries to make another attempt replay its replies (another worker of
 * the same model in the same run, or the same worker in another run) and to get the API key the
 * provider sees into a cache row, a stored attempt, the ledger or a trajectory file.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the step-cache security suite: ${availability.reason}`);

const KEY = 'sk-redteam-SECRET-5f3a9c1e7b';
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;
const WORKERS = ['attacker', 'victim']
  .map((id) => `- id: ${id}\n  model: openai-chat:gpt-test\n  scaffold:\n    kind: bash-agent\n    options: { maxSteps: 6, maxOutputTokens: 100 }\n  pricing: { inputPerMillion: 0.1, outputPerMillion: 10 }\n`)
  .join('');

interface Step {
  reply: string;
  cached?: boolean;
}
interface StoredTrajectory {
  steps: Step[];
}

let server: FakeLlmServer;
let dir: string;
/** When true, a second model call in a conversation is refused with HTTP 400 (the attempt ends `model-error`, retried on a rerun). */
let failSecondCall = false;
let replies = 0;
/** The first command of every attempt, when set (default: echo a unique nonce). */
let firstCommand: string | undefined;
beforeAll(async () => {
  server = await startFakeLlmServer({
    script: (request) => {
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      if (turn === 1 && failSecondCall) return { fault: 'http', status: 400 };
      // Every reply is unique (a counter over the whole file) and echoes the API key the provider received.
      replies += 1;
      const command = turn === 0 ? (firstCommand ?? `echo nonce-${replies}`) : 'echo MARKETBENCH_SUBMIT';
      return { text: `${bash(command)}\nkey seen: ${request.headers.authorization ?? ''}`, usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0 } };
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'mb-step-cache-'));
  writeFileSync(join(dir, 'workers.yaml'), WORKERS);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const attempt = (run: string) =>
  runCli(['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces', '--workers', join(dir, 'workers.yaml'), '--db', join(dir, 'a.db'), '--base-url', server.baseUrl('openai-chat'), '--run', run], {
    cwd: dir,
    env: { OPENAI_API_KEY: KEY },
  });

/** The stored trajectories of a run's attempts, by worker. */
function trajectories(run: string): Map<string, StoredTrajectory> {
  const store = Store.open(join(dir, 'a.db'));
  try {
    const rows = store.db.prepare('SELECT worker_id AS worker, trajectory FROM attempts WHERE run_id = ?').all(run) as { worker: string; trajectory: string }[];
    return new Map(rows.map((row) => [row.worker, JSON.parse(row.trajectory) as StoredTrajectory]));
  } finally {
    store.close();
  }
}

/** Requests that opened a conversation (no assistant turn yet). */
const firstCalls = () => server.requests.filter((request) => !request.messages.some((message) => message.role === 'assistant')).length;
const nonce = (step: Step | undefined) => /nonce-\d+/.exec(step?.reply ?? '')?.[0];

describe.skipIf(!availability.ok)('the agent-step cache across attempts', () => {
  it('an interrupted attempt replays only its own steps on a rerun; another worker of the same model, and another run, ask afresh [own]', async () => {
    // Session 1: both workers make their first call, then the provider refuses their second: both jobs fail, retried on a rerun.
    failSecondCall = true;
    server.clear();
    const first = await attempt('r1');
    expect(first.code, first.stderr).not.toBe(0);
    expect(firstCalls()).toBe(2);
    const sessionOneNonces = server.exchanges.filter((exchange) => exchange.kind === 'reply').map((exchange) => /nonce-\d+/.exec(exchange.text ?? '')?.[0]);
    expect(new Set(sessionOneNonces).size).toBe(2);

    // Session 2 (control: the cache is on): each attempt replays its own first step without a request.
    failSecondCall = false;
    server.clear();
    const second = await attempt('r1');
    expect(second.code, second.stderr).toBe(0);
    expect(firstCalls()).toBe(0);
    const resumed = trajectories('r1');
    const attacker = resumed.get('attacker')?.steps[0];
    const victim = resumed.get('victim')?.steps[0];
    expect(attacker?.cached).toBe(true);
    expect(victim?.cached).toBe(true);
    // Same conversation, same model, but each replayed its own reply: the attacker's never reached the victim.
    expect(sessionOneNonces).toContain(nonce(attacker));
    expect(sessionOneNonces).toContain(nonce(victim));
    expect(nonce(attacker)).not.toBe(nonce(victim));

    // Another run on the same store: both workers ask afresh and get fresh replies.
    server.clear();
    const other = await attempt('r2');
    expect(other.code, other.stderr).toBe(0);
    expect(firstCalls()).toBe(2);
    for (const [, trajectory] of trajectories('r2')) {
      expect(trajectory.steps[0]?.cached).toBeUndefined();
      expect(sessionOneNonces).not.toContain(nonce(trajectory.steps[0]));
    }
  }, 180_000);

  it('the API key the provider echoes into its replies is in no cache row, attempt, ledger row or trajectory file; cache rows keep no request or response body [own]', () => {
    // Runs after the test above: the store holds two runs' replies, every one of them echoing the key.
    expect(server.requests.every((request) => request.headers.authorization?.includes(KEY))).toBe(true);
    const store = Store.open(join(dir, 'a.db'));
    try {
      const cacheRows = store.db.prepare('SELECT key, model, params, response FROM cache').all() as { response: string }[];
      expect(cacheRows.length).toBeGreaterThanOrEqual(6);
      for (const row of cacheRows) {
        const response = JSON.parse(row.response) as { text: string; request: unknown; response: unknown };
        expect(response.text).toMatch(/key seen: /);
        expect(response.request).toBeNull();
        expect(response.response).toBeNull();
      }
      const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((table) => table.name);
      for (const table of tables) {
        const rows = store.db.prepare(`SELECT * FROM "${table}"`).all();
        expect(JSON.stringify(rows), table).not.toContain(KEY);
      }
    } finally {
      store.close();
    }
    const files = readdirSync(join(dir, 'trajectories'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain(KEY);
  });

  it('an attempt that knows the store’s path can neither read the cache nor write a row into it or beside it [own]', async () => {
    const db = join(dir, 'a.db');
    const before = cacheRowCount();
    firstCommand = [
      `head -c 16 '${db}'; echo; ls -la '${dir}' '${dir}/trajectories'`,
      `echo poisoned >> '${db}'; echo planted > '${dir}/planted.json'; mkdir -p '${dir}/trajectories/r9' && echo planted > '${dir}/trajectories/r9/x.json'`,
      "find / -name 'a.db' -not -path '/proc/*' 2>/dev/null | head -5; echo searched",
    ].join('; ');
    try {
      server.clear();
      const result = await attempt('r3');
      expect(result.code, result.stderr).toBe(0);
    } finally {
      firstCommand = undefined;
    }
    const observation = (trajectories('r3').get('attacker') as unknown as { steps: { observation: string }[] }).steps[0]?.observation ?? '';
    // Nothing reached stdout before the marker: no store bytes, no listing, no a.db found anywhere.
    expect(observation).toMatch(/<output>\s*searched\n/);
    expect(observation).not.toContain('SQLite format 3');
    expect(existsSync(join(dir, 'planted.json'))).toBe(false);
    expect(existsSync(join(dir, 'trajectories', 'r9'))).toBe(false);
    // The store is whole and holds only this run's fresh steps on top of what it had.
    const store = Store.open(db);
    try {
      expect(store.db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    } finally {
      store.close();
    }
    expect(cacheRowCount()).toBe(before + server.requests.length);
  }, 120_000);
});

function cacheRowCount(): number {
  const store = Store.open(join(dir, 'a.db'));
  try {
    return (store.db.prepare('SELECT COUNT(*) AS n FROM cache').get() as { n: number }).n;
  } finally {
    store.close();
  }
}
