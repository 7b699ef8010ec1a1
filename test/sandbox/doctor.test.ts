import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cgroupSupport } from '../../src/runtime/sandbox/cgroup.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runCli } from '../support/capture-io.js';

const local = await localSandboxAvailability();

describe('marketbench doctor', () => {
  it('prints every limit per backend and says why a backend cannot run', async () => {
    const result = await runCli(['doctor', '--docker-bin', '/nonexistent/docker'], { cwd: tmpdir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("docker sandbox: cannot run: the docker CLI '/nonexistent/docker' is not on PATH");
    for (const limit of ['network', 'total memory (4 GiB)', 'processes (256)', '/dev/shm (64 MiB)', '/dev read-only', 'workspace (1 GiB, 100000 inodes)', 'wall time (120 s per command)']) {
      expect(result.stdout).toContain(limit);
    }
  });

  it.skipIf(!local.ok)('--json reports how the local sandbox enforces memory, processes and the workspace here', async () => {
    const result = await runCli(['doctor', '--json', '--docker-bin', '/nonexistent/docker'], { cwd: tmpdir() });
    const report = JSON.parse(result.stdout) as { local: { ok: boolean; enforcement: { memory: string; processes: string; workspace: string } }; docker: { ok: boolean } };
    expect(report.local.ok).toBe(true);
    expect(report.docker.ok).toBe(false);
    // Independently of the sandbox code: a cgroup is used exactly when one can be made here, and
    // the workspace is a tmpfs exactly when we may mount one (root).
    expect(report.local.enforcement.memory).toBe(cgroupSupport().version ? 'cgroup' : 'watchdog');
    expect(report.local.enforcement.workspace).toBe(process.getuid?.() === 0 ? 'tmpfs' : 'watchdog');
  });
});
