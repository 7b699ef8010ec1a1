import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ledgerPayload } from '../../src/runtime/jobs/ledger.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { queryStore } from '../support/query-store.js';
import { type FakeOutcome, type FakeRequest, fault } from '../support/fake-llm-server.js';
import { spawnCli } from '../support/spawn-cli.js';
import { useFakeLlmServer } from '../support/use-fake-llm-server.js';

// An attempt's model calls go through the response cache (DESIGN §4): an attempt cut short after
// k steps and run again replays its first k steps without asking or paying, and pays only from the
// first call whose conversation differs. Real sandbox, real judge, a scripted model over HTTP.
const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the attempt step-cache tests: ${availability.reason}`);

const server = useFakeLlmServer();
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;
const FIX = "sed -i 's|/\\[^a-z0-9\\]+/, |/[^a-z0-9]+/g, |' src/slugify.ts";
/** Reported usage of every reply: at $0.1/M in and $10/M out a step costs 1,000 × 1e-7 + 100 × 1e-5 = $0.0011. */
const USAGE = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0 };
const STEP_USD = 0.0011;
const WORKERS_YAML = `- id: agent
  model: openai-chat:gpt-test
  scaffold: { kind: bash-agent, options: { maxSteps: 10, maxOutputTokens: 100 } }
  pricing: { inputPerMillion: 0.1, outputPerMillion: 10 }
`;

/** The agent's commands, one per step (the last submits); the model answers the step its conversation has reached. */
let plan: string[] = [];
/** The 0-based step the provider refuses with HTTP 503 (no retries), while set. */
let faultAt: number | undefined;

function script(request: FakeRequest): FakeOutcome {
  const step = request.messages.filter((message) => message.role === 'assistant').length;
  if (step === faultAt) return fault.http(503);
  return { text: bash(plan[step] ?? 'echo MARKETBENCH_SUBMIT'), usage: USAGE };
}

/** The steps the server was asked for (0-based), in order. */
const askedSteps = () => server().requests.map((request) => request.messages.filter((message) => message.role === 'assistant').length);

let dir: string;
beforeEach(() => {
  server().setScript(script);
  faultAt = undefined;
  dir = mkdtempSync(join(tmpdir(), 'mb-step-cache-'));
  writeFileSync(join(dir, 'workers.yaml'), WORKERS_YAML);
  return () => rmSync(dir, { recursive: true, force: true });
});

function attempt(extra: string[] = []) {
  return runCli(
    ['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces', '--workers', 'workers.yaml', '--db', 'a.db', '--max-retries', '0', '--base-url', server().baseUrl('openai-chat'), '--format', 'json', ...extra],
    { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } },
  );
}

interface Ledger {
  status: string;
  costUsd: number | null;
}

function read(runId: string): { jobs: Ledger[]; spend: number; attempts: { resolved: boolean; costUsd: number; inputTokens: number; steps: { cached?: boolean }[] }[] } {
  const store = Store.open(join(dir, 'a.db'));
  try {
    const attempts = store.getAttempts({ runId }).map((row) => ({
      resolved: row.outcome.resolved,
      costUsd: row.outcome.costUsd,
      inputTokens: row.outcome.inputTokens,
      steps: JSON.parse(readFileSync(row.outcome.trajectoryRef as string, 'utf8')).steps as { cached?: boolean }[],
    }));
    return { jobs: store.listJobs({ runId }).map((job) => ({ status: job.status, costUsd: job.costUsd })), spend: store.jobSpendUsd(runId), attempts };
  } finally {
    store.close();
  }
}

describe.skipIf(!availability.ok)('agent steps through the response cache', () => {
  it('an attempt failed after 2 steps and run again asks only for the steps after 2, and the ledger charges each step once', async () => {
    plan = ['cat src/slugify.ts', 'grep -n replace src/slugify.ts', FIX, 'echo MARKETBENCH_SUBMIT'];
    faultAt = 2;
    const first = await attempt();
    expect(first.code).toBe(1);
    const { runId } = JSON.parse(first.stdout) as { runId: string };
    // Two steps answered, the third refused: the job failed (not the worker's outcome), charged 2 steps.
    expect(askedSteps()).toEqual([0, 1, 2]);
    const cut = read(runId);
    expect(cut.attempts).toEqual([]);
    expect(cut.jobs).toEqual([{ status: 'failed', costUsd: expect.closeTo(2 * STEP_USD, 12) }]);

    faultAt = undefined;
    server().clear();
    const second = await attempt();
    expect(second.code, second.stderr).toBe(0);
    // Steps 0 and 1 come from the cache; only steps 2 and 3 reach the provider.
    expect(askedSteps()).toEqual([2, 3]);
    expect(JSON.parse(second.stdout).summary.sessionSpendUsd).toBeCloseTo(2 * STEP_USD, 12);
    const done = read(runId);
    // The ledger: 2 steps carried from the failed try + 2 paid now = 4 steps, each once.
    expect(done.jobs).toEqual([{ status: 'done', costUsd: expect.closeTo(4 * STEP_USD, 12) }]);
    expect(done.spend).toBeCloseTo(4 * STEP_USD, 12);
    // The attempt's outcome is the whole piece of work: 4 steps, solved, the replayed steps marked.
    expect(done.attempts).toHaveLength(1);
    const [row] = done.attempts;
    expect(row?.resolved).toBe(true);
    expect(row?.costUsd).toBeCloseTo(4 * STEP_USD, 12);
    expect(row?.inputTokens).toBe(4 * 1000);
    expect(row?.steps.map((step) => step.cached === true)).toEqual([true, true, false, false]);
    // The cache keeps each step's reply, not its request (the conversation so far): 4 rows, no prompt text.
    const rows = queryStore(join(dir, 'a.db'), 'SELECT response FROM cache') as { response: string }[];
    expect(rows).toHaveLength(4);
    for (const cached of rows) {
      expect(JSON.parse(cached.response)).toMatchObject({ text: expect.stringContaining('```bash'), request: null, response: null });
      expect(cached.response).not.toContain('working in a Linux shell');
    }
  });

  it('an attempt killed (SIGKILL) while its third call is in flight resumes from that call: the first two are not asked again', async () => {
    plan = ['cat src/slugify.ts', 'grep -n replace src/slugify.ts', FIX, 'echo MARKETBENCH_SUBMIT'];
    const args = ['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces', '--workers', 'workers.yaml', '--db', 'a.db', '--run', 'killed', '--base-url', server().baseUrl('openai-chat')];
    const first = spawnCli({ args, cwd: dir, env: { OPENAI_API_KEY: 'test-key' } });
    server().onRequest = (request) => {
      if (request.messages.filter((message) => message.role === 'assistant').length === 2) first.process.kill('SIGKILL');
    };
    const killed = await first.done;
    server().onRequest = undefined;
    expect(killed.signal, killed.output).toBe('SIGKILL');
    expect(askedSteps()).toEqual([0, 1, 2]);
    const [started] = read('killed').jobs;
    expect(started?.status).toBe('started');

    server().clear();
    const second = await spawnCli({ args, cwd: dir, env: { OPENAI_API_KEY: 'test-key' } }).done;
    expect(second.code, second.output).toBe(0);
    expect(askedSteps()).toEqual([2, 3]);
    const done = read('killed');
    expect(done.attempts[0]?.resolved).toBe(true);
    expect(done.attempts[0]?.costUsd).toBeCloseTo(4 * STEP_USD, 12);
    // This session paid 2 steps; the killed one is counted at what the ledger knew when it died.
    const store = Store.open(join(dir, 'a.db'));
    try {
      const [job] = store.listJobs({ runId: 'killed' });
      // The killed try is carried at its first-call reservation (the ledger's rule for a job in flight at a kill).
      const reserved = job ? ledgerPayload(job).reserveUsd : 0;
      expect(reserved).toBeGreaterThan(0);
      expect(job?.costUsd).toBeCloseTo(reserved + 2 * STEP_USD, 12);
    } finally {
      store.close();
    }
  });

  it('a step whose observation differs on the rerun makes every later call paid again, though they were made before', async () => {
    // Step 1 prints the time, so its observation differs in the second session; step 2's call sees it.
    plan = ['cat src/slugify.ts', 'date +%s%N', 'cat src/slugify.ts', FIX, 'echo MARKETBENCH_SUBMIT'];
    faultAt = 4;
    const first = await attempt();
    expect(first.code).toBe(1);
    const { runId } = JSON.parse(first.stdout) as { runId: string };
    expect(askedSteps()).toEqual([0, 1, 2, 3, 4]);
    expect(read(runId).jobs).toEqual([{ status: 'failed', costUsd: expect.closeTo(4 * STEP_USD, 12) }]);

    faultAt = undefined;
    server().clear();
    const second = await attempt();
    expect(second.code, second.stderr).toBe(0);
    // Steps 0 and 1 replay (their conversations are unchanged); from step 2 on every call carries the new time.
    expect(askedSteps()).toEqual([2, 3, 4]);
    const done = read(runId);
    // Charged: 4 steps in the first session + 3 in the second; the attempt itself is 5 steps.
    expect(done.spend).toBeCloseTo(7 * STEP_USD, 12);
    expect(done.attempts[0]?.costUsd).toBeCloseTo(5 * STEP_USD, 12);
    expect(done.attempts[0]?.steps.map((step) => step.cached === true)).toEqual([true, true, false, false, false]);
  });

  it("another run's attempt of the same task asks afresh, and --no-cache neither reads nor fills the cache", async () => {
    plan = ['cat src/slugify.ts', FIX, 'echo MARKETBENCH_SUBMIT'];
    const first = await attempt(['--run', 'one']);
    expect(first.code, first.stderr).toBe(0);
    expect(askedSteps()).toEqual([0, 1, 2]);
    server().clear();
    // Same worker, task and conversation in another run: a new sample, not a replay of run one.
    const other = await attempt(['--run', 'two']);
    expect(other.code, other.stderr).toBe(0);
    expect(askedSteps()).toEqual([0, 1, 2]);
    expect(read('two').spend).toBeCloseTo(3 * STEP_USD, 12);

    // Without the cache, an attempt cut after 1 step pays that step again on the rerun.
    server().clear();
    faultAt = 1;
    expect((await attempt(['--run', 'three', '--no-cache'])).code).toBe(1);
    faultAt = undefined;
    const rerun = await attempt(['--run', 'three', '--no-cache']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(askedSteps()).toEqual([0, 1, 0, 1, 2]);
    expect(read('three').spend).toBeCloseTo(4 * STEP_USD, 12);
  });
});
