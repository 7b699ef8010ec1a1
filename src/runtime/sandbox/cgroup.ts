import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Root of the cgroup filesystems on Linux. */
const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where sandbox cgroups can be made here, or why not. */
export interface CgroupSupport {
  /** `v1` (separate memory and pids hierarchies), `v2` (unified), or null when none is usable. */
  version: 'v1' | 'v2' | null;
  /** Folder under which memory-limited child cgroups can be made. */
  memoryParent?: string;
  /** Folder under which pids-limited child cgroups can be made (v1: its own hierarchy). */
  pidsParent?: string;
  /** Why no cgroup is usable (empty when one is). */
  reason: string;
}

/** This process's cgroup path per controller, from /proc/self/cgroup (`''` is the v2 unified one). */
function ownCgroups(): Map<string, string> {
  const paths = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return paths;
  }
  for (const line of text.trim().split('\n')) {
    const [, controllers = '', path = '/'] = line.split(':');
    for (const controller of controllers.split(',')) paths.set(controller, path);
  }
  return paths;
}

let probeCounter = 0;

/** True when a child cgroup can be made under `parent` and it has `limitFile` (removed again). */
function canMakeChild(parent: string, limitFile: string): boolean {
  const probe = join(parent, `marketbench-probe-${process.pid}-${probeCounter++}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  try {
    return existsSync(join(probe, limitFile));
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // An empty cgroup just made is always removable; nothing more to do if not.
    }
  }
}

let cached: CgroupSupport | undefined;

/**
 * Probes once per process whether memory- and pids-limited cgroups can be made as children of
 * this process's own cgroups (cgroup v1 with writable memory and pids hierarchies, or a v2
 * subtree delegated to us with both controllers enabled).
 */
export function cgroupSupport(): CgroupSupport {
  if (!cached) {
    cached = probeCgroups();
    for (const parent of new Set([cached.memoryParent, cached.pidsParent])) if (parent) sweepOrphans(parent);
  }
  return cached;
}

/** Removes sandbox cgroups left by processes that died without disposing them (empty ones only). */
function sweepOrphans(parent: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^marketbench-(\d+)-\d+$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') removeGroup(join(parent, name));
    }
  }
}

function probeCgroups(): CgroupSupport {
  if (process.platform !== 'linux') return { version: null, reason: 'cgroups exist only on Linux' };
  const own = ownCgroups();
  const memoryPath = own.get('memory');
  const pidsPath = own.get('pids');
  if (memoryPath !== undefined && existsSync(join(CGROUP_ROOT, 'memory', 'cgroup.procs'))) {
    const memoryParent = join(CGROUP_ROOT, 'memory', memoryPath);
    const pidsParent = pidsPath === undefined ? undefined : join(CGROUP_ROOT, 'pids', pidsPath);
    if (!canMakeChild(memoryParent, 'memory.limit_in_bytes')) return { version: null, reason: `cgroup v1 memory hierarchy ${memoryParent} is not writable` };
    const pidsOk = pidsParent !== undefined && canMakeChild(pidsParent, 'pids.max');
    return { version: 'v1', memoryParent, pidsParent: pidsOk ? pidsParent : undefined, reason: '' };
  }
  const unified = own.get('');
  if (unified !== undefined && existsSync(join(CGROUP_ROOT, 'cgroup.controllers'))) {
    const parent = join(CGROUP_ROOT, unified);
    if (!canMakeChild(parent, 'memory.max')) return { version: null, reason: `cgroup v2: no memory controller delegated under ${parent}` };
    return { version: 'v2', memoryParent: parent, pidsParent: canMakeChild(parent, 'pids.max') ? parent : undefined, reason: '' };
  }
  return { version: null, reason: 'no cgroup filesystem is mounted' };
}

let groupCounter = 0;

/** Writes a cgroup control file; false when the kernel refuses (e.g. no swap accounting). */
function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * One sandbox's cgroups: every process of every command joins them, so memory and process count
 * are capped for the sandbox as a whole (the kernel's OOM killer acts inside the group only).
 */
export class SandboxCgroup {
  /** The `cgroup.procs` files a process writes its pid to in order to join. */
  readonly procsFiles: readonly string[];
  /** True when the process count is capped by the group (pids controller available). */
  readonly capsProcesses: boolean;
  private readonly dirs: readonly string[];

  private constructor(dirs: string[], capsProcesses: boolean) {
    this.dirs = dirs;
    this.procsFiles = dirs.map((dir) => join(dir, 'cgroup.procs'));
    this.capsProcesses = capsProcesses;
  }

  /** Makes the groups with their limits, or returns undefined when cgroups are not usable here. */
  static create(limits: { totalMemoryBytes: number; processes: number }): SandboxCgroup | undefined {
    const support = cgroupSupport();
    if (!support.version || !support.memoryParent) return undefined;
    const name = `marketbench-${process.pid}-${groupCounter++}`;
    const made: string[] = [];
    try {
      const memory = join(support.memoryParent, name);
      mkdirSync(memory);
      made.push(memory);
      if (support.version === 'v1') {
        writeFileSync(join(memory, 'memory.limit_in_bytes'), String(limits.totalMemoryBytes));
        // Swap would let the group exceed its memory; cap memory+swap too where accounted.
        tryWrite(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.totalMemoryBytes));
        if (support.pidsParent) {
          const pids = join(support.pidsParent, name);
          mkdirSync(pids);
          made.push(pids);
          writeFileSync(join(pids, 'pids.max'), String(limits.processes));
        }
      } else {
        writeFileSync(join(memory, 'memory.max'), String(limits.totalMemoryBytes));
        tryWrite(join(memory, 'memory.swap.max'), '0');
        if (support.pidsParent) writeFileSync(join(memory, 'pids.max'), String(limits.processes));
      }
      return new SandboxCgroup(made, support.pidsParent !== undefined);
    } catch (error) {
      for (const dir of made.reverse()) removeGroup(dir);
      throw error;
    }
  }

  /** Kills whatever is still in the groups and removes them. */
  dispose(): void {
    for (const dir of this.dirs) removeGroup(dir);
  }
}

/** Kills the group's remaining processes and removes it (retrying while they exit). */
function removeGroup(dir: string): void {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if (!tryWrite(join(dir, 'cgroup.kill'), '1')) {
        for (const pid of readPids(join(dir, 'cgroup.procs'))) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * A `/bin/sh` script that writes its own pid to every file before `--` (joining those cgroups)
 * and then execs the rest of its arguments; exit 125 when a join fails.
 */
export const JOIN_CGROUPS_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
