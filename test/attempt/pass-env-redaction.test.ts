import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { Store } from '../../src/runtime/store/index.js';
import { runCli } from '../support/capture-io.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping passEnv redaction test: ${availability.reason}`);

const SECRET = 'mb-agent-key-7d1f0c29e5a84b36';

/** Every file under a folder, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe.skipIf(!availability.ok)('passEnv values never reach the store, the trajectory or the output', () => {
  it('an external agent that prints its key, writes it to stderr and commits it into the patch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-redact-'));
    try {
      // The agent leaks its key three ways, and reports usage as its last stdout line.
      const command = [
        'echo "using key $MB_AGENT_KEY"',
        'echo "key: $MB_AGENT_KEY" >&2',
        'echo "export const key = \\"$MB_AGENT_KEY\\";" > src/leak.ts',
        'echo \'{"marketbench_usage": {"inputTokens": 10, "outputTokens": 5}}\'',
      ].join('; ');
      const workers = [
        '- id: leaky/external',
        '  model: openai:gpt-5.2',
        '  scaffold:',
        '    kind: external',
        `    options: { command: ${JSON.stringify(command)}, passEnv: [MB_AGENT_KEY] }`,
        '  pricing: { inputPerMillion: 1, outputPerMillion: 1 }',
        '',
      ].join('\n');
      writeFileSync(join(dir, 'workers.yaml'), workers);
      const result = await runCli(['attempt', '--suite', 'builtin', '--tasks', 'slugify-spaces', '--workers', 'workers.yaml', '--db', 'r.db'], {
        cwd: dir,
        env: { MB_AGENT_KEY: SECRET },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(SECRET);

      const store = Store.open(join(dir, 'r.db'));
      try {
        const attempts = store.getAttempts();
        expect(attempts).toHaveLength(1);
        expect(attempts[0]?.outcome.resolved).toBe(false);
      } finally {
        store.close();
      }
      // Nothing written anywhere under the project folder (store, WAL, trajectory files) holds the key.
      for (const file of files(dir)) expect(readFileSync(file).includes(SECRET), file).toBe(false);
      // The leaks are there, redacted: the agent really did print and write the key.
      const trajectoryFiles = files(join(dir, 'trajectories'));
      expect(trajectoryFiles).toHaveLength(1);
      const saved = readFileSync(trajectoryFiles[0] as string, 'utf8');
      expect(saved).toContain('using key [redacted]');
      expect(saved).toContain('key: [redacted]');
      expect(saved).toContain('export const key = \\"[redacted]\\";');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
