import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { builtinSuite } from '../../src/runtime/suites/builtin-suite.js';
import { createSandbox } from '../../src/runtime/sandbox/create-sandbox.js';
import { createDockerSandbox, dockerRunArgs } from '../../src/runtime/sandbox/docker-sandbox.js';
import { SandboxUnavailableError } from '../../src/runtime/sandbox/errors.js';
import { sandboxLimits } from '../../src/runtime/sandbox/limits.js';
import { dockerTestImage } from '../support/docker-test-image.js';

const testImage = await dockerTestImage();
if ('skip' in testImage) console.warn(`skipping docker sandbox tests that need an engine and an image: ${testImage.skip}`);
const engine = { ok: 'image' in testImage };
/** An image with bash and git (the diff needs git), built locally; override with MARKETBENCH_DOCKER_TEST_IMAGE. */
const image = 'image' in testImage ? testImage.image : '';

describe('docker sandbox arguments', () => {
  it('runs without network or capabilities, with pids, memory and file-size limits', () => {
    const args = dockerRunArgs({
      name: 'c1',
      image: 'img',
      workdir: '/testbed',
      limits: sandboxLimits({ processes: 99, totalMemoryBytes: 1000, memoryBytes: 500, fileSizeBytes: 77, tmpBytes: 55, shmBytes: 33 }),
      cpus: 2,
    });
    const flagValue = (flag: string) => args[args.indexOf(flag) + 1];
    expect(flagValue('--network')).toBe('none');
    expect(flagValue('--cap-drop')).toBe('ALL');
    expect(flagValue('--pids-limit')).toBe('99');
    expect(flagValue('--memory')).toBe('1000');
    expect(flagValue('--memory-swap')).toBe('1000');
    expect(args).toContain('fsize=77:77');
    expect(args).toContain('data=500:500');
    const tmpfs = args.flatMap((arg, index) => (args[index - 1] === '--tmpfs' ? [arg] : []));
    expect(tmpfs).toEqual(['/tmp:rw,exec,size=55', '/dev:ro,dev,nosuid,size=64k', '/dev/shm:rw,nosuid,nodev,exec,size=33']);
    // The image holds the code here, so its root stays writable (the workspace is watched instead).
    expect(args).not.toContain('--read-only');
    expect(flagValue('--workdir')).toBe('/testbed');
    expect(args.slice(-2)).toEqual(['img', 'infinity']);
  });

  it('a copied-in workspace gets a capped tmpfs under a read-only root, and the harness repository its own mount', () => {
    const args = dockerRunArgs({ name: 'c1', image: 'img', workdir: '/w', limits: sandboxLimits({ workspaceBytes: 7, workspaceInodes: 9 }), cpus: 1, workspaceTmpfs: true, harnessGitDir: '/h/git' });
    expect(args).toContain('--read-only');
    expect(args).toContain('/w:rw,exec,size=7,nr_inodes=9,mode=1777');
    expect(args).toContain('type=bind,source=/h/git,target=/.harness-git');
  });

  it('says clearly why no backend is usable', async () => {
    const error = await createSandbox({ backend: 'docker', image: 'x', docker: { dockerBin: '/nonexistent/docker' } }).catch((e: unknown) => e);
    expect(SandboxUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^no sandbox backend is usable \(docker: the docker CLI '\/nonexistent\/docker' is not on PATH\)/);
  });
});

describe.skipIf(!engine.ok)('docker sandbox (needs an engine)', () => {
  it('runs commands with no network, kills on timeout and diffs', { timeout: 300_000 }, async () => {
    const sandbox = await createDockerSandbox({ image, pull: false, limits: { timeoutMs: 20_000 } });
    try {
      expect((await sandbox.exec('echo hi')).stdout).toBe('hi\n');
      const net = await sandbox.exec('getent hosts example.com || echo no-dns');
      expect(net.stdout).toContain('no-dns');
      const slow = await sandbox.exec('sleep 60', { timeoutMs: 2_000 });
      expect(slow.timedOut).toBe(true);
      await sandbox.writeFile('a.txt', 'x\n');
      expect(await sandbox.diff()).toContain('+x');
    } finally {
      await sandbox.dispose();
    }
  });
});

describe.skipIf(!engine.ok)('docker sandbox: whole-sandbox limits against attacks (needs an engine)', () => {
  const MiB = 1024 ** 2;
  it('caps memory across processes, /dev/shm, the workspace bytes and inodes, and processes', { timeout: 300_000 }, async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'mb-docker-ws-'));
    writeFileSync(join(workspace, 'README'), 'x\n');
    const sandbox = await createDockerSandbox({
      image,
      pull: false,
      workspace,
      limits: { timeoutMs: 60_000, totalMemoryBytes: 512 * MiB, shmBytes: 8 * MiB, workspaceBytes: 64 * MiB, workspaceInodes: 500, processes: 64 },
      readOnlyBinds: [{ host: process.execPath, sandbox: '/usr/local/bin/node' }],
    });
    try {
      expect((await sandbox.exec('cat README')).stdout).toBe('x\n');
      // 4 × 200 MiB, each alone under the cap: the container's memory cgroup stops the sum.
      // Processes only exit by being killed, so those still running after 15 s hold their memory together.
      const hold = 'const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log("held"); setTimeout(() => {}, 600000);';
      const memory = await sandbox.exec(`for i in 1 2 3 4; do node -e '${hold}' & done; sleep 15; echo alive=$(jobs -rp | wc -l); kill $(jobs -p) 2>/dev/null; wait`);
      const holding = Number(/alive=(\d+)/.exec(memory.stdout)?.[1]);
      expect(holding, memory.stdout).toBeLessThanOrEqual(2);
      expect(holding).toBeGreaterThanOrEqual(1);
      const shm = await sandbox.exec('{ head -c 64M /dev/zero > /dev/shm/fill; } 2>&1; stat -c %s /dev/shm/fill');
      expect(shm.stdout).toContain('No space left on device');
      expect(Number(shm.stdout.trim().split('\n').pop())).toBeLessThanOrEqual(8 * MiB);
      const disk = await sandbox.exec('for i in 1 2 3 4 5; do head -c 16M /dev/zero > f$i && echo ok$i; done 2>&1; rm -f f*');
      expect(disk.stdout).toContain('ok3');
      expect(disk.stdout).not.toContain('ok5');
      const inodes = await sandbox.exec('mkdir d; for i in $(seq 2000); do : > d/$i || break; done 2>&1; ls d | wc -l; rm -rf d');
      expect(Number(inodes.stdout.trim().split('\n').pop())).toBeLessThan(500);
      const bomb = await sandbox.exec('for i in $(seq 200); do sleep 2 & done 2>&1 | tail -1; echo survived');
      expect(bomb.stdout).toMatch(/fork|Resource temporarily unavailable/);
      // The container recovers once the bomb's processes are gone (the engine may need a moment to reap them).
      let alive = '';
      for (let tries = 0; tries < 20 && alive !== 'alive\n'; tries++) {
        if (tries > 0) await new Promise((done) => setTimeout(done, 1000));
        alive = (await sandbox.exec('echo alive')).stdout;
      }
      expect(alive).toBe('alive\n');
    } finally {
      await sandbox.dispose();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!engine.ok)('docker sandbox: /dev, the baseline repository and the quota of an image that holds the code (needs an engine)', () => {
  const MiB = 1024 ** 2;
  it('/dev is read-only, and the harness repository is outside the workspace where root in the container cannot write it', { timeout: 300_000 }, async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'mb-docker-ws-'));
    writeFileSync(join(workspace, 'a.txt'), 'a\n');
    const sandbox = await createDockerSandbox({ image, pull: false, workspace, removeWorkspace: true, limits: { timeoutMs: 30_000, shmBytes: 4 * MiB } });
    try {
      const dev = await sandbox.exec('echo x > /dev/planted; echo x > /dev/null && echo null-ok; head -c 1 /dev/urandom | wc -c; head -c 8M /dev/zero > /dev/shm/f; stat -c %s /dev/shm/f; echo y > /etc/planted; id -u');
      expect(dev.stderr).toMatch(/\/dev\/planted: Read-only file system/);
      expect(dev.stderr).toMatch(/\/etc\/planted: Read-only file system/);
      expect(dev.stdout.trim().split('\n')).toEqual(['null-ok', '1', String(4 * MiB), '0']);
      // Root in the container, yet the harness repository resists every way of changing it.
      const tamper = await sandbox.exec(
        'touch /.harness-git/x; rm -rf /.harness-git/objects; chmod 777 /.harness-git; mv /.harness-git /moved; ls /.harness-git/objects | wc -l; git log --oneline | wc -l; rm -rf .git; echo b > a.txt',
      );
      expect(tamper.stderr).toMatch(/touch: cannot touch '\/\.harness-git\/x': Permission denied/);
      expect(tamper.stderr).toMatch(/chmod: changing permissions of '\/\.harness-git': Operation not permitted/);
      // The agent had its own copy of the baseline at .git (one commit) until it removed it.
      expect(tamper.stdout.trim().split('\n').map(Number)[1]).toBe(1);
      // A process left behind to change the workspace after the agent's end is killed by the diff.
      await sandbox.exec("(setsid nohup sh -c 'sleep 3; echo late > late.txt' >/dev/null 2>&1 &); echo started");
      const diff = await sandbox.diff();
      expect(diff).toContain('-a\n+b');
      expect(diff).not.toContain('.git/');
      await new Promise((done) => setTimeout(done, 4_000));
      expect((await sandbox.exec('cat late.txt 2>&1')).stdout).toMatch(/No such file/);
    } finally {
      await sandbox.dispose();
    }
  });

  it('an image that holds the code: the workspace is watched from the host, and past its quota the attempt is stopped', { timeout: 300_000 }, async () => {
    // No workspace copied in: the code is the image's own (here its /etc, copied to /srv/code at start).
    const sandbox = await createDockerSandbox({ image, pull: false, workdir: '/srv/code', limits: { timeoutMs: 60_000, workspaceBytes: 32 * MiB, workspaceInodes: 2_000 } });
    try {
      expect(sandbox.workspaceQuota).toBe('watchdog');
      const small = await sandbox.exec('head -c 8M /dev/urandom > small && echo ok');
      expect(small.stdout).toBe('ok\n');
      expect(small.limitKilled).toBeUndefined();
      // A slow writer is killed while it runs (4 MiB every 0.2 s would reach 200 MiB).
      const slow = await sandbox.exec('for i in $(seq 50); do head -c 4M /dev/urandom > f$i; sleep 0.2; done; echo finished');
      expect(slow.limitKilled).toBe('workspace');
      expect(slow.stdout).not.toContain('finished');
      // Everything after is refused, so the disk cannot keep growing, and no patch comes out of it.
      const after = await sandbox.exec('echo still-here');
      expect(after.exitCode).toBe(1);
      expect(after.stdout).toBe('');
      expect(after.stderr).toMatch(/workspace passed its quota/);
      await expect(sandbox.diff()).rejects.toThrow(/workspace passed its quota/);
    } finally {
      await sandbox.dispose();
    }
  });

  it('a fast burst of writes in one short command is caught when the command ends', { timeout: 300_000 }, async () => {
    const sandbox = await createDockerSandbox({ image, pull: false, workdir: '/srv/code', limits: { timeoutMs: 60_000, workspaceBytes: 32 * MiB, workspaceInodes: 2_000 } });
    try {
      const burst = await sandbox.exec('mkdir many && cd many && for i in $(seq 3000); do : > $i; done; echo done');
      expect(burst.limitKilled).toBe('workspace');
      expect((await sandbox.exec('true')).stderr).toMatch(/workspace passed its quota/);
    } finally {
      await sandbox.dispose();
    }
  });
});

describe.skipIf(!engine.ok)('built-in tasks under the docker backend (needs an engine)', async () => {
  const suite = builtinSuite({ backend: { kind: 'docker', image } });
  // One JavaScript and one TypeScript task: each evaluation starts a container, which costs seconds
  // on the vfs storage driver; the local backend runs every task (test/suites/builtin-suite.test.ts).
  const all = engine.ok ? await suite.loadTasks() : [];
  const tasks = ['javascript', 'typescript'].flatMap((language) => all.filter((task) => task.features.language === language).slice(0, 1));
  for (let i = 0; i < tasks.length; i += 2) {
    const pair = tasks.slice(i, i + 2);
    it(`fails without the fix and passes with it: ${pair.map((task) => task.id).join(' + ')}`, { timeout: 300_000 }, async () => {
      await Promise.all(
        pair.map(async (task: Task) => {
          const base = await suite.evaluate({ task, patch: '' });
          expect(base.resolved, `${task.id} base: ${base.detail}\n${base.log}`).toBe(false);
          const fixed = await suite.evaluate({ task, patch: String(task.metadata.fixPatch) });
          expect(fixed.resolved, `${task.id} fixed: ${fixed.detail}\n${fixed.log}`).toBe(true);
        }),
      );
    });
  }
});
