import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/runtime/sandbox/create-sandbox.js';
import { dockerAvailability } from '../../src/runtime/sandbox/docker-cli.js';
import { createDockerSandbox, dockerRunArgs } from '../../src/runtime/sandbox/docker-sandbox.js';
import { SandboxUnavailableError } from '../../src/runtime/sandbox/errors.js';
import { sandboxLimits } from '../../src/runtime/sandbox/limits.js';

const engine = await dockerAvailability();
if (!engine.ok) console.warn(`skipping docker sandbox tests that need an engine: ${engine.reason}`);
/** An image with bash and git (the diff needs git); override with MARKETBENCH_DOCKER_TEST_IMAGE. */
const image = process.env.MARKETBENCH_DOCKER_TEST_IMAGE ?? 'buildpack-deps:bookworm-scm';

describe('docker sandbox arguments', () => {
  it('runs without network or capabilities, with pids, memory and file-size limits', () => {
    const args = dockerRunArgs({
      name: 'c1',
      image: 'img',
      workdir: '/testbed',
      limits: sandboxLimits({ processes: 99, memoryBytes: 1000, fileSizeBytes: 77, tmpBytes: 55 }),
      cpus: 2,
    });
    const flagValue = (flag: string) => args[args.indexOf(flag) + 1];
    expect(flagValue('--network')).toBe('none');
    expect(flagValue('--cap-drop')).toBe('ALL');
    expect(flagValue('--pids-limit')).toBe('99');
    expect(flagValue('--memory')).toBe('1000');
    expect(flagValue('--memory-swap')).toBe('1000');
    expect(args).toContain('fsize=77:77');
    expect(flagValue('--tmpfs')).toBe('/tmp:rw,exec,size=55');
    expect(flagValue('--workdir')).toBe('/testbed');
    expect(args.slice(-2)).toEqual(['img', 'infinity']);
  });

  it('says clearly why no backend is usable', async () => {
    const error = await createSandbox({ backend: 'docker', image: 'x', docker: { dockerBin: '/nonexistent/docker' } }).catch((e: unknown) => e);
    expect(SandboxUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^no sandbox backend is usable \(docker: the docker CLI '\/nonexistent\/docker' is not on PATH\)/);
  });
});

describe.skipIf(!engine.ok)('docker sandbox (needs an engine)', () => {
  it('runs commands with no network, kills on timeout and diffs', async () => {
    const sandbox = await createDockerSandbox({ image, limits: { timeoutMs: 20_000 } });
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
