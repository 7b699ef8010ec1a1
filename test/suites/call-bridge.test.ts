import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import type { Sandbox } from '../../src/runtime/sandbox/sandbox.js';
import { runCallBridge } from '../../src/runtime/suites/judge/call-bridge.js';
import { judgeAfterPatch } from '../../src/runtime/suites/judge/judge-after-patch.js';
import { startLocalWorkspace } from '../../src/runtime/suites/local-workspace.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the call-bridge timing test: ${availability.reason}`);

/** The same sandbox, whose commands start `delayMs` late (as a judge's can on a loaded machine). */
function startingLate(sandbox: Sandbox, delayMs: number): Sandbox {
  return {
    backend: sandbox.backend,
    workdir: sandbox.workdir,
    exec: async (command, options) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return sandbox.exec(command, options);
    },
    readFile: (path) => sandbox.readFile(path),
    writeFile: (path, content) => sandbox.writeFile(path, content),
    diff: () => sandbox.diff(),
    dispose: () => sandbox.dispose(),
  };
}

describe.skipIf(!availability.ok)('the call bridge under its time limit', () => {
  it('a candidate that never answers is reported as the judging timing out, even when its clock runs out before the judge’s', async () => {
    const candidate = await startLocalWorkspace({ source: { files: { 'a.txt': 'a\n' } }, baseline: false, network: false });
    const judge = await startLocalWorkspace({ source: { files: { 'b.txt': 'b\n' } }, baseline: false, network: false });
    try {
      // The judge starts 1 s after the candidate, both with a 1.5 s limit: the candidate is killed at
      // 1.5 s, its end of the line closes, and the judge fails on it before its own limit at 2.5 s.
      // Before the fix that read "the judge's run exited 1" on a loaded machine, and timed out on a quiet one.
      const evaluation = await judgeAfterPatch({ failToPass: ['answers'], passToPass: [] }, '', () =>
        runCallBridge({
          candidate: { sandbox: candidate, command: () => 'sleep 30' },
          judge: {
            sandbox: startingLate(judge, 1_000),
            command: (nonce) => `echo "${nonce} {}"; if read -r reply; then echo "${nonce} RESULT {\\"tests\\":[]}"; else echo 'the candidate ended before answering' >&2; exit 1; fi`,
          },
          timeoutMs: 1_500,
        }),
      );
      expect(evaluation.resolved).toBe(false);
      expect(evaluation.detail).toMatch(/^the judge timed out/);
      expect(evaluation.log).toContain('the candidate ended before answering');
    } finally {
      await judge.dispose();
      await candidate.dispose();
    }
  });
});
