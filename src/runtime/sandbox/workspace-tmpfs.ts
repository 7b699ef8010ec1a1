import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Mount source name of workspace filesystems; the pid of the owning process follows it. */
const SOURCE_PREFIX = 'marketbench-ws-';

/** Options of `mountWorkspaceTmpfs`. */
export interface MountWorkspaceTmpfsOptions {
  /** Host folder whose contents become the starting files. */
  source: string;
  /** Empty folder to mount on. */
  target: string;
  /** Folder of the filesystem (relative to `target`) that receives the starting files (default: its root). */
  into?: string;
  /** Size cap in bytes. */
  bytes: number;
  /** Inode cap (files + folders). */
  inodes: number;
  /** Owner of the filesystem's root. */
  uid: number;
}

let swept = false;

/**
 * Mounts a size- and inode-capped tmpfs at `target` and copies the starting files in (needs the
 * right to mount, i.e. root). Returns why not when it cannot: the caller then falls back to a
 * watchdog on the host folder. Costs one mount and one copy: nothing is preallocated.
 */
export function mountWorkspaceTmpfs(options: MountWorkspaceTmpfsOptions): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'tmpfs mounts need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'mounting a tmpfs needs root' };
  if (!swept) {
    swept = true;
    sweepOrphans();
  }
  mkdirSync(options.target, { recursive: true });
  const mounted = spawnSync('mount', [
    '-t',
    'tmpfs',
    '-o',
    `size=${options.bytes},nr_inodes=${options.inodes},mode=0755,uid=${options.uid},gid=${options.uid}`,
    `${SOURCE_PREFIX}${process.pid}`,
    options.target,
  ]);
  if (mounted.status !== 0) return { ok: false, reason: `mount -t tmpfs failed: ${mounted.stderr?.toString().trim() || mounted.error?.message}` };
  // `cp -a` as root keeps modes and links; ownership is set by the caller's chown afterwards.
  const into = options.into ? join(options.target, options.into) : options.target;
  if (options.into) mkdirSync(into);
  const copied = spawnSync('cp', ['-a', '--', `${options.source}/.`, into]);
  if (copied.status !== 0) {
    unmountWorkspaceTmpfs(options.target);
    return { ok: false, reason: `copying the workspace into its tmpfs failed: ${copied.stderr.toString().trim()}` };
  }
  return { ok: true };
}

/** Unmounts a workspace tmpfs (lazily, so a straggling process cannot keep it busy). */
export function unmountWorkspaceTmpfs(target: string): void {
  spawnSync('umount', ['-l', target]);
}

/**
 * Unmounts workspace filesystems left by processes that died without disposing their sandboxes
 * (their memory would otherwise stay in use until reboot), and removes their folders.
 */
function sweepOrphans(): void {
  let mounts = '';
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return;
  }
  for (const line of mounts.split('\n')) {
    const [source = '', target = '', type] = line.split(' ');
    if (type !== 'tmpfs' || !source.startsWith(SOURCE_PREFIX)) continue;
    const pid = Number(source.slice(SOURCE_PREFIX.length));
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    const path = target.replace(/\\040/g, ' ');
    unmountWorkspaceTmpfs(path);
    if (basename(dirname(path)).startsWith('marketbench-sbx-')) rmSync(dirname(path), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
