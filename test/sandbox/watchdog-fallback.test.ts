import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { createLocalSandbox } from '../../src/runtime/sandbox/local-sandbox.js';
import { runBounded } from '../../src/runtime/sandbox/run-process.js';
import { workspaceOverQuota } from '../../src/runtime/sandbox/watchdog.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping watchdog-through-sandbox tests: ${availability.reason}`);

const MiB = 1024 ** 2;

describe('watchdog (the fallback where no cgroup or tmpfs can be made)', () => {
  it('counts a folder against byte and inode caps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-wd-'));
    try {
      mkdirSync(join(dir, 'sub'));
      for (let i = 0; i < 9; i++) writeFileSync(join(dir, 'sub', `f${i}`), 'x');
      // 1 folder + 9 files = 10 entries.
      expect(workspaceOverQuota(dir, { bytes: 10 * MiB, inodes: 10 })).toBe(false);
      expect(workspaceOverQuota(dir, { bytes: 10 * MiB, inodes: 9 })).toBe(true);
      writeFileSync(join(dir, 'big'), Buffer.alloc(2 * MiB, 1));
      expect(workspaceOverQuota(dir, { bytes: 1 * MiB, inodes: 100 })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills a host process tree whose resident memory passes the cap (summed over every descendant)', async () => {
    // Each python holds 300 MiB, under the 400 MiB cap alone: only the sum over the tree passes it.
    const program = 'import time; b = bytearray(b"x") * (300 * 1024 * 1024); print("held", flush=True); time.sleep(20)';
    const result = await runBounded({
      // sh, not bash: Debian's bash sources ~/.bashrc when its stdin is a socket (as Node's pipes are).
      file: '/bin/sh',
      args: ['-c', `/usr/bin/python3 -c '${program}' & /usr/bin/python3 -c '${program}' & wait`],
      timeoutMs: 60_000,
      maxOutputBytes: 4096,
      killAfterOutputBytes: 8192,
      watchdog: { memoryBytes: 400 * MiB, intervalMs: 100 },
    });
    expect(result.limitKilled).toBe('memory');
    expect(result.timedOut).toBe(false);
  });
});

describe.skipIf(!availability.ok)('watchdog through the local sandbox (forced, as on machines without cgroups or root)', () => {
  it('stops 4 × 200 MiB under a 500 MiB total and a flood of files past the inode cap', async () => {
    const sandbox = await createLocalSandbox({
      workspace: mkdtempSync(join(tmpdir(), 'mb-wd-')),
      ownsWorkspace: true,
      baseline: false,
      watchdogOnly: true,
      limits: { totalMemoryBytes: 500 * MiB, workspaceInodes: 2_000, workspaceBytes: 64 * MiB, timeoutMs: 60_000 },
    });
    try {
      expect(sandbox.enforcement.memory).toBe('watchdog');
      expect(sandbox.enforcement.workspace).toBe('watchdog');
      const program = 'import time; b = bytearray(b"x") * (200 * 1024 * 1024); print("held", flush=True); time.sleep(20)';
      const memory = await sandbox.exec(`for i in 1 2 3 4; do python3 -c '${program}' & done; wait`);
      expect(memory.limitKilled).toBe('memory');
      const files = await sandbox.exec('mkdir d; i=0; while [ $i -lt 100000 ]; do : > d/$i; i=$((i+1)); done; echo finished');
      expect(files.limitKilled).toBe('workspace');
      expect(files.stdout).not.toContain('finished');
      expect((await sandbox.exec('echo alive')).stdout).toBe('alive\n');
    } finally {
      await sandbox.dispose();
    }
  });
});
