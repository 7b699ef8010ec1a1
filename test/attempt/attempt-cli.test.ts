import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { loadWorkersFile } from '../../src/runtime/scaffold/workers-file.js';
import { Store } from '../../src/runtime/store/index.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { tempDir } from '../support/temp-dir.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping attempt end-to-end tests: ${availability.reason}`);

const slugify = (await builtinSuite().loadTasks()).find((task) => task.id === 'slugify-spaces') as Task;
const FIX = "sed -i 's|/\\[^a-z0-9\\]+/, |/[^a-z0-9]+/g, |' src/slugify.ts";
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;
/** Reported usage of every scripted reply. */
const USAGE = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0 };

/** Scripted agent: the reply depends on the task in the conversation and on how many turns it has had. */
function agentScript(request: FakeRequest) {
  const everything = `${request.system}\n${request.messages.map((message) => message.text).join('\n')}`;
  if (request.system.includes('unified diff')) return { text: `\`\`\`diff\n${String(slugify.metadata.fixPatch)}\`\`\``, usage: USAGE };
  const turn = request.messages.filter((message) => message.role === 'assistant').length;
  const plan = everything.includes('slugify(')
    ? [bash('cat src/slugify.ts'), bash(FIX), bash('echo MARKETBENCH_SUBMIT')]
    : // A wrong fix for paginate-first-page: it changes the code but not the off-by-one.
      [bash("sed -i 's/page < 1/page < 0/' src/paginate.js"), bash('echo MARKETBENCH_SUBMIT')];
  return { text: plan[turn] ?? bash('echo MARKETBENCH_SUBMIT'), usage: USAGE };
}

const WORKERS_YAML = `# one bash agent over the fake provider
- id: fake/bash
  model: openai-chat:gpt-test
  scaffold:
    kind: bash-agent
    options: { maxSteps: 10, maxOutputTokens: 100 }
  pricing: { inputPerMillion: 0.1, outputPerMillion: 10 }
`;

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script: agentScript });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clear();
  dir = mkdtempSync(join(tmpdir(), 'mb-attempt-'));
  writeFileSync(join(dir, 'workers.yaml'), WORKERS_YAML);
  return () => rmSync(dir, { recursive: true, force: true });
});

/** `marketbench attempt` on two built-in tasks against the fake server. */
function attempt(extra: string[]) {
  return runCli(
    ['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces,paginate-first-page', '--base-url', server.baseUrl('openai-chat'), ...extra],
    { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } },
  );
}

describe.skipIf(!availability.ok)('marketbench attempt (scripted model over HTTP, real sandbox, real tests)', () => {
  it('solves a built-in task through the full loop, judges a wrong fix unresolved, stores everything, and resumes without paying twice', async () => {
    const first = await attempt(['--workers', 'workers.yaml', '--db', 'a.db', '--concurrency', '1']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/fake\/bash\s+1\/2/);
    // Three calls for slugify and two for paginate, each reporting 1000 input and 100 output tokens.
    expect(server.requests).toHaveLength(5);

    const store = Store.open(join(dir, 'a.db'));
    try {
      const [run] = store.listRuns();
      expect(run?.kind).toBe('attempt');
      expect(run?.status).toBe('done');
      const attempts = new Map(store.getAttempts({ runId: run?.id }).map((row) => [row.taskId, row]));
      const solved = attempts.get('slugify-spaces');
      const wrong = attempts.get('paginate-first-page');
      expect(solved?.outcome.resolved).toBe(true);
      expect(wrong?.outcome.resolved).toBe(false);
      expect(solved?.outcome.exitReason).toBe('submitted');
      // Per call: 1000 × $0.1/M + 100 × $10/M = $0.0001 + $0.001 = $0.0011.
      expect(solved?.outcome.costUsd).toBeCloseTo(3 * 0.0011, 12);
      expect(wrong?.outcome.costUsd).toBeCloseTo(2 * 0.0011, 12);
      expect(solved?.outcome.inputTokens).toBe(3000);
      expect(solved?.outcome.outputTokens).toBe(300);
      expect(solved?.outcome.wallTimeMs).toBeGreaterThan(0);
      // The per-step trajectory file and the stored trajectory (with patch and verdict).
      const file = solved?.outcome.trajectoryRef as string;
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')).steps).toHaveLength(3);
      const raw = store.db.prepare('SELECT trajectory FROM attempts WHERE task_id = ?').get('slugify-spaces') as { trajectory: string };
      const stored = JSON.parse(raw.trajectory);
      expect(stored.patch).toContain("+    .replace(/[^a-z0-9]+/g, '-')");
      expect(stored.evaluation.resolved).toBe(true);
      expect(store.jobSpendUsd(run?.id as string)).toBeCloseTo(5 * 0.0011, 12);
    } finally {
      store.close();
    }

    const again = await attempt(['--workers', 'workers.yaml', '--db', 'a.db']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('2 done earlier');
    expect(server.requests).toHaveLength(5);
  });

  it("passes the worker's operator context (persona) to the agent", async () => {
    writeFileSync(join(dir, 'persona.yaml'), `${WORKERS_YAML}  persona: Budget is tight; run the tests before you submit.\n`);
    const result = await attempt(['--workers', 'persona.yaml', '--db', 'p.db', '--concurrency', '1', '--tasks', 'slugify-spaces']);
    expect(result.code, result.stderr).toBe(0);
    const first = server.requests[0];
    const text = first?.messages.map((message) => message.text).join('\n') ?? '';
    expect(text).toContain('Operator context: Budget is tight; run the tests before you submit.');
  });

  it('stops at the budget mid-attempt without exceeding it, and a rerun with more budget finishes', async () => {
    // Budget $0.002: the first call ($0.0011) fits; the second call's pessimistic reservation
    // (its input bytes at $0.1/M plus 100 output tokens at $10/M, above $0.001) does not.
    const tight = await attempt(['--workers', 'workers.yaml', '--db', 'b.db', '--concurrency', '1', '--budget-usd', '0.002']);
    expect(tight.code).toBe(0);
    expect(tight.stdout).toContain('stopped: the next attempt would not fit in the budget');
    expect(server.requests).toHaveLength(1);
    const store = Store.open(join(dir, 'b.db'));
    try {
      const run = store.listRuns()[0];
      expect(run?.status).toBe('stopped');
      expect(store.getAttempts({ runId: run?.id })).toHaveLength(0);
      expect(store.jobSpendUsd(run?.id as string)).toBeLessThanOrEqual(0.002);
      expect(store.jobSpendUsd(run?.id as string)).toBeCloseTo(0.0011, 12);
    } finally {
      store.close();
    }
    const more = await attempt(['--workers', 'workers.yaml', '--db', 'b.db', '--concurrency', '1', '--budget-usd', '1']);
    expect(more.code).toBe(0);
    expect(more.stdout).toMatch(/fake\/bash\s+1\/2/);
    // 1 call of the cut attempt + 2 (slugify's later steps: its first is replayed from the
    // response cache, not asked or paid again) + 2 (paginate).
    expect(server.requests).toHaveLength(5);
    const reopened = Store.open(join(dir, 'b.db'));
    try {
      const run = reopened.listRuns()[0];
      expect(reopened.jobSpendUsd(run?.id as string)).toBeCloseTo(5 * 0.0011, 12);
      const slugify = reopened.getAttempts({ runId: run?.id }).find((row) => row.taskId === 'slugify-spaces');
      expect(slugify?.outcome.costUsd).toBeCloseTo(3 * 0.0011, 12);
    } finally {
      reopened.close();
    }
  });

  it('runs the one-shot baseline from model references and writes SWE-bench-style predictions', async () => {
    const result = await runCli(
      ['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces', '--workers', 'openai-chat:gpt-oneshot', '--scaffold', 'one-shot', '--db', 'c.db',
        '--base-url', server.baseUrl('openai-chat'), '--predictions-out', 'preds.jsonl'],
      { cwd: dir, env: { OPENAI_API_KEY: 'test-key' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/openai-chat:gpt-oneshot\s+1\/1/);
    expect(result.stderr).toContain("warning: no price for 'openai-chat:gpt-oneshot'");
    const predictions = readFileSync(join(dir, 'preds.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(predictions).toEqual([{ instance_id: 'slugify-spaces', model_name_or_path: 'openai-chat:gpt-oneshot', model_patch: expect.stringContaining('diff --git a/src/slugify.ts') }]);
  });
});

describe('attempt inputs', () => {
  it('a workers file error names the file, line and field', () => {
    const file = join(tempDir('mb-workers-'), 'workers.yaml');
    writeFileSync(file, '- id: ok\n  model: openai:gpt-5.2\n- id: bad\n  model: openai:gpt-5.2\n  scaffold:\n    kind: bash-agent\n    options:\n      maxSteps: -3\n');
    expect(() => loadWorkersFile(file)).toThrow(`${file}:8: field '1.scaffold.options.maxSteps':`);
    writeFileSync(file, '- model: gpt-5.2\n');
    expect(() => loadWorkersFile(file)).toThrow(/field '0.model': a model reference like openai:gpt-5.2/);
    writeFileSync(file, 'workers:\n  - model: openai:gpt-5.2\n    scaffold: external\n');
    expect(() => loadWorkersFile(file)).toThrow(/field '0.scaffold.options.command'/);
  });

  it('reads prices per million and defaults', () => {
    const file = join(tempDir('mb-workers-'), 'workers.yaml');
    writeFileSync(file, '- model: anthropic:claude-x\n  pricing: { inputPerMillion: 3, outputPerMillion: 15 }\n');
    const [worker] = loadWorkersFile(file);
    expect(worker).toMatchObject({ id: 'anthropic:claude-x', scaffold: 'bash-agent', environment: 'local' });
    expect(worker?.pricing?.inputPerToken).toBeCloseTo(3e-6, 18);
    expect(worker?.pricing?.outputPerToken).toBeCloseTo(1.5e-5, 18);
  });

  it('an unknown suite is a one-line error', async () => {
    const result = await runCli(['attempt', '--suite', 'nope', '--workers', 'openai:gpt-5.2', '--db', join(tmpdir(), 'mb-unused.db')], { cwd: tmpdir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown suite 'nope'");
  });
});
