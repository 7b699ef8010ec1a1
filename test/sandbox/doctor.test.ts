import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cgroupSupport } from '../../src/runtime/sandbox/cgroup.js';
import { dockerAvailability } from '../../src/runtime/sandbox/docker-cli.js';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { runCli } from '../support/capture-io.js';

const local = await localSandboxAvailability();
const engine = await dockerAvailability();

describe('marketbench doctor', () => {
  it('prints every limit per backend and says why a backend cannot run', async () => {
    const result = await runCli(['doctor', '--docker-bin', '/nonexistent/docker'], { cwd: tmpdir() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("docker sandbox: cannot run: the docker CLI '/nonexistent/docker' is not on PATH");
    for (const limit of ['patch (8 MiB)', 'network', 'total memory (4 GiB)', 'processes (256)', '/dev/shm (64 MiB)', '/dev read-only', 'workspace (1 GiB, 100000 inodes)', 'wall time (120 s per command)']) {
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

  it.skipIf(!engine.ok)('--json says what the Docker backend enforces: a read-only /dev and, for images that hold the code, the host-side watchdog exactly when the harness is root on the engine\'s machine', async () => {
    const result = await runCli(['doctor', '--json'], { cwd: tmpdir() });
    const report = JSON.parse(result.stdout) as { docker: { ok: boolean; hostWatch: boolean }; rows: { limit: string; docker: string }[] };
    expect(report.docker.ok).toBe(true);
    expect(report.docker.hostWatch).toBe(process.getuid?.() === 0 && !process.env.DOCKER_HOST);
    const row = (name: string) => report.rows.find((entry) => entry.limit.startsWith(name))?.docker ?? '';
    expect(row('/dev read-only')).toMatch(/^read-only tmpfs/);
    expect(row('workspace')).toMatch(report.docker.hostWatch ? /image holds the code: watchdog/ : /image holds the code: NOT enforced/);
  });
});
