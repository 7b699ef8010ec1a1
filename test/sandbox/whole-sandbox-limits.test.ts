import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupSupport } from '../../src/runtime/sandbox/cgroup.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { createLocalSandbox, type LocalSandbox } from '../../src/runtime/sandbox/local-sandbox.js';
import type { SandboxLimitsInput } from '../../src/runtime/sandbox/limits.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping whole-sandbox limit attacks: ${availability.reason}`);

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

async function withSandbox(limits: SandboxLimitsInput, body: (sandbox: LocalSandbox) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mb-limits-'));
  writeFileSync(join(dir, 'README'), 'x\n');
  const sandbox = await createLocalSandbox({ workspace: dir, ownsWorkspace: true, baseline: false, limits: { timeoutMs: 60_000, ...limits } });
  try {
    await body(sandbox);
  } finally {
    await sandbox.dispose();
  }
}

/**
 * A python parent that forks `count` children; each touches `mib` MiB, reports, and holds it.
 * Once every child has reported or died, the parent prints how many are alive and holding at
 * that same moment (children only ever exit by being killed, so alive and reported = holding).
 */
function allocators(count: number, mib: number): string {
  const program = [
    'import os, select, signal, time',
    `n, size = ${count}, ${mib} << 20`,
    'r, w = os.pipe()',
    'kids = []',
    'for i in range(n):',
    '    pid = os.fork()',
    '    if pid == 0:',
    '        os.close(r)',
    '        b = bytearray(b"x") * size',
    '        os.write(w, bytes([i]))',
    '        time.sleep(600)',
    '        os._exit(0)',
    '    kids.append(pid)',
    'os.close(w)',
    'reported, dead = set(), set()',
    'deadline = time.time() + 120',
    'while len(reported | dead) < n and time.time() < deadline:',
    '    if select.select([r], [], [], 0.1)[0]:',
    '        reported.update(os.read(r, 64))',
    '    for i, pid in enumerate(kids):',
    '        if i not in dead and os.waitpid(pid, os.WNOHANG)[0]:',
    '            dead.add(i)',
    'time.sleep(0.5)',
    'for i, pid in enumerate(kids):',
    '    if i not in dead and os.waitpid(pid, os.WNOHANG)[0]:',
    '        dead.add(i)',
    'print("holding", len(reported - dead), flush=True)',
    'for i, pid in enumerate(kids):',
    '    if i not in dead:',
    '        os.kill(pid, signal.SIGKILL)',
    '        os.waitpid(pid, 0)',
  ].join('\n');
  return `python3 -c '${program}'; echo done`;
}

/** The number printed by `allocators`. */
function holding(stdout: string): number {
  return Number(/holding (\d+)/.exec(stdout)?.[1] ?? Number.NaN);
}

describe.skipIf(!availability.ok)('whole-sandbox limits: attacks through the local sandbox', () => {
  it('memory across processes: 5 × 300 MiB under a 1 GiB total cap cannot all be held', async () => {
    // Each process alone is well under the per-process cap (2 GiB), so only a total cap stops this.
    await withSandbox({ totalMemoryBytes: 1 * GiB }, async (sandbox) => {
      const result = await sandbox.exec(allocators(5, 300));
      const held = holding(result.stdout);
      // 4 × 300 MiB = 1200 MiB > 1024 MiB: at most three can hold their memory at once.
      expect(held, `${JSON.stringify(sandbox.enforcement)}\n${result.stdout}\n${result.stderr}`).toBeLessThanOrEqual(3);
      expect(held).toBeGreaterThanOrEqual(1);
      expect(result.stdout).toContain('done');
      expect((await sandbox.exec('echo alive')).stdout).toBe('alive\n');
    });
  });

  it('memory across processes: the issue attack, 5 × 1.5 GiB with default limits, is stopped at the 4 GiB total', async () => {
    await withSandbox({}, async (sandbox) => {
      const result = await sandbox.exec(allocators(5, 1536));
      const held = holding(result.stdout);
      // 3 × 1.5 GiB = 4.5 GiB > 4 GiB: at most two at once.
      expect(held, `${result.stdout}\n${result.stderr}`).toBeLessThanOrEqual(2);
      expect(held).toBeGreaterThanOrEqual(1);
    });
  });

  it('/dev is read-only and /dev/shm is capped; /dev/null still works', async () => {
    await withSandbox({ shmBytes: 8 * MiB }, async (sandbox) => {
      const result = await sandbox.exec(
        'echo x > /dev/null && echo null-ok; touch /dev/planted 2>&1; { head -c 64M /dev/zero > /dev/shm/fill; } 2>&1; echo shm=$(stat -c %s /dev/shm/fill)',
      );
      expect(result.stdout).toContain('null-ok');
      expect(result.stdout).toContain('Read-only file system');
      expect(result.stdout).toContain('No space left on device');
      expect(result.stdout).toContain(`shm=${8 * MiB}`);
    });
  });

  it('disk: writing 4 GB into the workspace stops at the workspace quota (default 1 GiB)', async () => {
    await withSandbox({}, async (sandbox) => {
      // 20 files of 200 MB: each under the 256 MiB file-size rlimit, 4 GB together.
      const result = await sandbox.exec('for i in $(seq 20); do head -c 200000000 /dev/zero > f$i || break; done; du -sb . | cut -f1');
      const used = Number(result.stdout.trim().split('\n').pop());
      expect(result.stderr).toMatch(/No space left on device|Killed/);
      expect(used).toBeLessThanOrEqual(1 * GiB + MiB);
      expect(used).toBeGreaterThan(0);
      // The sandbox still answers and the space is reclaimable from inside.
      expect((await sandbox.exec('rm -f f*; echo freed')).stdout).toBe('freed\n');
    });
  });

  it('inodes: creating 200,000 files stops at the workspace inode quota (default 100,000)', async () => {
    await withSandbox({}, async (sandbox) => {
      const program = 'import os\nos.mkdir("d")\nn = 0\ntry:\n    for i in range(200000):\n        open(f"d/{i}", "w").close(); n += 1\nexcept OSError as e:\n    print("stopped", e.errno)\nprint("made", n)';
      const result = await sandbox.exec(`python3 -c '${program}'`, { timeoutMs: 120_000 });
      const made = Number(/made (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
      expect(made).toBeLessThanOrEqual(100_000);
      expect(made).toBeGreaterThan(50_000);
    });
  });

  it('a small workspace quota is exact: 64 MiB takes 3 × 16 MiB and refuses the fifth', async () => {
    await withSandbox({ workspaceBytes: 64 * MiB, workspaceInodes: 1000 }, async (sandbox) => {
      const result = await sandbox.exec('for i in 1 2 3 4 5; do head -c 16M /dev/zero > f$i && echo ok$i; done 2>&1; echo end');
      for (const index of [1, 2, 3]) expect(result.stdout).toContain(`ok${index}`);
      expect(result.stdout).not.toContain('ok5');
    });
  });

  it('dispose removes the sandbox cgroups and workspace mount', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-limits-'));
    const sandbox = await createLocalSandbox({ workspace: dir, ownsWorkspace: true, baseline: false });
    const support = cgroupSupport();
    const ours = (): string[] =>
      support.memoryParent ? readdirSync(support.memoryParent).filter((name) => name.startsWith(`marketbench-${process.pid}-`)) : [];
    const mounts = (): number => readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((line) => line.startsWith(`marketbench-ws-${process.pid} `)).length;
    const before = { groups: ours().length, mounts: mounts() };
    expect((await sandbox.exec('sleep 30 >/dev/null 2>&1 & echo started')).stdout).toBe('started\n');
    await sandbox.dispose();
    expect(ours().length).toBeLessThanOrEqual(Math.max(0, before.groups - (sandbox.enforcement.memory === 'cgroup' ? 1 : 0)));
    expect(mounts()).toBe(before.mounts - (sandbox.enforcement.workspace === 'tmpfs' ? 1 : 0));
  });
});
