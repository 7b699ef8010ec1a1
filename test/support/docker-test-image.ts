import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAvailability } from '../../src/runtime/sandbox/docker-cli.js';

/**
 * The smallest image the Docker tests need: Debian bookworm minbase with git and CA certificates,
 * built on this machine with debootstrap and `docker import` (no registry pull), once per machine
 * (cached by name). Node.js is not in it: the sandbox binds the host's `node` read-only.
 */
export const DOCKER_TEST_IMAGE = 'marketbench-test-base:bookworm';

/** Cross-process lock folder, so parallel test files build the image once. */
const LOCK = join(tmpdir(), 'marketbench-docker-test-image.lock');

function hasImage(image: string): boolean {
  return spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
}

function build(image: string): string | undefined {
  if (process.getuid?.() !== 0) return 'building the test image needs root (debootstrap)';
  if (spawnSync('debootstrap', ['--version'], { stdio: 'ignore' }).error) return 'debootstrap is not installed (apt-get install debootstrap)';
  const root = mkdtempSync(join(tmpdir(), 'mb-debootstrap-'));
  try {
    const mirror = process.env.MARKETBENCH_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
    const boot = spawnSync('debootstrap', ['--variant=minbase', '--include=git,ca-certificates', 'bookworm', root, mirror], { encoding: 'utf8', timeout: 15 * 60_000 });
    if (boot.status !== 0) return `debootstrap failed: ${(boot.stderr || boot.stdout || String(boot.error)).trim().split('\n').slice(-2).join(' ')}`;
    // Every container copies the whole image on the vfs storage driver: drop what the tests never
    // use (docs, locales, apt caches, perl modules, git's network helpers) to keep starts fast.
    const slim = [
      'var/cache/apt',
      'var/lib/apt/lists',
      'usr/share/doc',
      'usr/share/man',
      'usr/share/locale',
      'usr/share/info',
      'usr/share/zoneinfo',
      'usr/share/common-licenses',
      'usr/share/perl',
      'usr/share/i18n',
      'usr/lib/x86_64-linux-gnu/perl',
      'usr/lib/x86_64-linux-gnu/gconv',
      'usr/bin/scalar',
      'usr/lib/git-core/git-daemon',
      'usr/lib/git-core/git-imap-send',
      'usr/lib/git-core/git-http-fetch',
      'usr/lib/git-core/git-http-push',
      'usr/lib/git-core/git-remote-http',
      'usr/lib/git-core/git-remote-https',
      'usr/lib/git-core/git-remote-ftp',
      'usr/lib/git-core/git-remote-ftps',
    ];
    for (const path of slim) rmSync(join(root, path), { recursive: true, force: true });
    const imported = spawnSync('sh', ['-c', 'tar -C "$1" -c . | docker import - "$2"', 'sh', root, image], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (imported.status !== 0) return `docker import failed: ${imported.stderr.trim()}`;
    return undefined;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The test image's name, building it when missing; or the reason it cannot be had here (no
 * engine, no debootstrap, no mirror), which the caller prints when it skips.
 */
export async function dockerTestImage(): Promise<{ image: string } | { skip: string }> {
  const override = process.env.MARKETBENCH_DOCKER_TEST_IMAGE;
  const engine = await dockerAvailability();
  if (!engine.ok) return { skip: engine.reason };
  const image = override ?? DOCKER_TEST_IMAGE;
  if (hasImage(image)) return { image };
  if (override) return { skip: `the image ${override} (MARKETBENCH_DOCKER_TEST_IMAGE) is not present` };
  for (let waited = 0; ; waited += 1000) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (waited > 20 * 60_000) return { skip: `another process has held ${LOCK} for 20 minutes` };
      await new Promise((done) => setTimeout(done, 1000));
    }
  }
  try {
    if (hasImage(image)) return { image };
    const why = build(image);
    return why ? { skip: `cannot build ${image}: ${why}` } : { image };
  } finally {
    rmdirSync(LOCK);
  }
}
