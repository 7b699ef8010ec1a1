import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Store, type StoredJob } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.js';

/** A bash block the scripted agent sends. */
const bash = (command: string) => `THOUGHT: next.\n\n\`\`\`bash\n${command}\n\`\`\``;

/** A shell command writing `content` to `path` (a quoted heredoc, so nothing is expanded). */
export function writeCommand(path: string, content: string): string {
  return `mkdir -p "$(dirname '${path}')" && cat > '${path}' <<'MB_ATTACK_EOF'\n${content}\nMB_ATTACK_EOF`;
}

/** What one attack run left behind. */
export interface AttackResult {
  /** Exit code of `marketbench attempt` (0: the harness survived and finished the run). */
  code: number;
  /** Its output. */
  stdout: string;
  /** Its error output. */
  stderr: string;
  /** The stored verdict, or undefined when no attempt was stored. */
  resolved: boolean | undefined;
  /** The stored evaluation (detail, passed, failed) and patch. */
  evaluation: { resolved: boolean; detail: string; passed: string[]; failed: string[] } | undefined;
  /** The stored patch. */
  patch: string;
  /** The scaffold's error stored with the trajectory (e.g. why no patch could be taken). */
  error: string | undefined;
  /** The run's jobs in the ledger. */
  jobs: StoredJob[];
}

/** Runs attacks as scripted bash agents over a fake model server through `marketbench attempt`. */
export class AttackHarness {
  private plan: string[] = [];
  private constructor(private readonly server: FakeLlmServer) {}

  /** Starts the fake model server. */
  static async start(): Promise<AttackHarness> {
    let harness: AttackHarness | undefined;
    const server = await startFakeLlmServer({
      script: (request) => {
        const turn = request.messages.filter((message) => message.role === 'assistant').length;
        const commands = harness?.plan ?? [];
        return { text: bash(commands[turn] ?? 'echo MARKETBENCH_SUBMIT'), usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0 } };
      },
    });
    harness = new AttackHarness(server);
    return harness;
  }

  /** Stops the server. */
  close(): Promise<void> {
    return this.server.close();
  }

  /** One attempt on `task` of `suite` where the agent runs `commands` in order, then submits (`baseUrl` overrides the model server). */
  async attack(input: { suite: string; task: string; commands: string[]; cwd?: string; baseUrl?: string }): Promise<AttackResult> {
    this.plan = input.commands;
    const dir = mkdtempSync(join(tmpdir(), 'mb-attack-'));
    try {
      writeFileSync(
        join(dir, 'workers.yaml'),
        '- id: attacker\n  model: openai-chat:gpt-test\n  scaffold:\n    kind: bash-agent\n    options: { maxSteps: 12, maxOutputTokens: 100 }\n  pricing: { inputPerMillion: 0.1, outputPerMillion: 10 }\n',
      );
      const result = await runCli(
        ['attempt', '--suite', input.suite, '--tasks', input.task, '--workers', join(dir, 'workers.yaml'), '--db', join(dir, 'a.db'), '--base-url', input.baseUrl ?? this.server.baseUrl('openai-chat')],
        { cwd: input.cwd ?? dir, env: { OPENAI_API_KEY: 'test-key' } },
      );
      const store = Store.open(join(dir, 'a.db'));
      try {
        const [run] = store.listRuns();
        const row = store.db.prepare('SELECT trajectory FROM attempts').get() as { trajectory: string } | undefined;
        const stored = row ? JSON.parse(row.trajectory) : undefined;
        return {
          code: result.code,
          stdout: result.stdout,
          stderr: result.stderr,
          resolved: store.getAttempts()[0]?.outcome.resolved,
          evaluation: stored?.evaluation,
          patch: stored?.patch ?? '',
          error: stored?.extra?.error,
          jobs: run ? store.listJobs({ runId: run.id }) : [],
        };
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** One attack: the agent's commands, what the stored detail must say (when blocked at the patch), and more checks on the result. */
export interface Attack {
  /** The test's name. */
  name: string;
  /** The bash commands the scripted agent runs, in order, before it submits. */
  commands: string[];
  /** What the stored evaluation's detail must match. */
  detail?: RegExp;
  /** More checks on the result. */
  check?: (result: AttackResult) => void;
}

/**
 * Runs `attack` on the built-in task `slugify-spaces` (its commands leave the bug in place) and
 * asserts that it failed and the harness survived.
 */
export async function expectSlugifyAttackFails(harness: AttackHarness, attack: Attack): Promise<void> {
  const result = await harness.attack({ suite: 'builtin', task: 'slugify-spaces', commands: attack.commands });
  expect(result.code, result.stderr).toBe(0);
  // Stored as an attempt (an outcome), never left as a failed job.
  expect(result.jobs.map((job) => job.status)).toEqual(['done']);
  expect(result.resolved, result.evaluation?.detail).toBe(false);
  if (process.env.MB_SHOW_ATTACKS) console.log(`${attack.name}\n  -> ${result.evaluation?.detail}`);
  // The bug is still there: the judge saw the failing test fail.
  expect(result.evaluation?.failed).toContain('replaces every gap');
  if (attack.detail) expect(result.evaluation?.detail).toMatch(attack.detail);
  attack.check?.(result);
}
