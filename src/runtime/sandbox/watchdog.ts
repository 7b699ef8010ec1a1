import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A limit a watchdog enforces by killing the command. */
export type WatchdogLimit = 'memory' | 'workspace';

/** What the fallback watchdog checks while a command runs. */
export interface WatchdogSpec {
  /** Resident memory of the whole process tree, in bytes (when no cgroup caps it). */
  memoryBytes?: number;
  /** Host folder of the workspace with its byte and inode caps (when no capped filesystem holds it). */
  workspace?: { dir: string; bytes: number; inodes: number };
  /** Milliseconds between memory checks (the workspace is walked every fifth check). */
  intervalMs?: number;
}

/** Kernel page size assumed for `statm` (4 KiB on every platform we run on). */
const PAGE_BYTES = 4096;

/** Pids of `root` and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name may hold spaces and parentheses; the fields after its last ')' do not.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index] as number) ?? []));
  return tree;
}

/** Resident bytes of a set of processes. */
function residentBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
    } catch {
      // Exited between listing and reading.
    }
  }
  return total;
}

/** Allocated bytes and entries under a folder (links are not followed), counting until a cap is passed. */
function walkUsage(dir: string, caps: { bytes: number; inodes: number }): { bytes: number; inodes: number } {
  let bytes = 0;
  let inodes = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(current, name);
      let stat: ReturnType<typeof lstatSync>;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      inodes++;
      bytes += stat.blocks * 512;
      if (inodes > caps.inodes || bytes > caps.bytes) return { bytes, inodes };
      if (stat.isDirectory()) stack.push(path);
    }
  }
  return { bytes, inodes };
}

/** Allocated bytes and entries under a folder (links are not followed). */
export function workspaceUsage(dir: string): { bytes: number; inodes: number } {
  return walkUsage(dir, { bytes: Number.POSITIVE_INFINITY, inodes: Number.POSITIVE_INFINITY });
}

/** True when the folder holds more than the caps (allocated bytes, entries); stops early. */
export function workspaceOverQuota(dir: string, caps: { bytes: number; inodes: number }): boolean {
  const usage = walkUsage(dir, caps);
  return usage.inodes > caps.inodes || usage.bytes > caps.bytes;
}

/**
 * Polls a running command's process tree and workspace and calls `onTrip` once when a cap is
 * passed (the caller kills the tree). Weakness, by nature of polling: usage can overshoot the cap
 * by what the command allocates or writes in one interval. Returns a function that stops it.
 */
export function startWatchdog(input: { rootPid: number; spec: WatchdogSpec; onTrip: (limit: WatchdogLimit) => void }): () => void {
  const { spec } = input;
  let ticks = 0;
  let tripped = false;
  const timer = setInterval(() => {
    if (tripped) return;
    ticks++;
    let limit: WatchdogLimit | undefined;
    if (spec.memoryBytes !== undefined && residentBytes(processTree(input.rootPid)) > spec.memoryBytes) limit = 'memory';
    else if (spec.workspace && ticks % 5 === 0 && workspaceOverQuota(spec.workspace.dir, spec.workspace)) limit = 'workspace';
    if (limit) {
      tripped = true;
      input.onTrip(limit);
    }
  }, spec.intervalMs ?? 200);
  timer.unref();
  return () => clearInterval(timer);
}
