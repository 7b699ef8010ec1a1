import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import type { SandboxLimits } from './limits.js';

/** The user and group a command sees inside the local sandbox. */
export const SANDBOX_UID = 1000;

/** Where the workspace is mounted inside the local sandbox. */
export const LOCAL_WORKDIR = '/workspace';

/** Top-level system folders that are bound read-only (or recreated as symlinks, as on the host). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * The few /etc entries programs need (dynamic linker, name lookup, certificates, alternatives);
 * the rest of /etc (shadow files, credentials, host configuration) stays out of the sandbox.
 */
const ETC_ENTRIES = [
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'alternatives',
  'nsswitch.conf',
  'hosts',
  'localtime',
  'timezone',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'mime.types',
  'os-release',
  'debian_version',
];

/** A host path mounted read-only at a sandbox path. */
export interface ReadOnlyBind {
  /** Path on the host. */
  host: string;
  /** Path inside the sandbox. */
  sandbox: string;
}

/** Options of `bwrapArgs`. */
export interface BwrapArgsOptions {
  /** Host folder mounted writable at `/workspace`. */
  workspace: string;
  /** Host folder holding the sandbox's own `passwd` and `group` files. */
  etcDir: string;
  /** Resource limits. */
  limits: SandboxLimits;
  /** Extra read-only mounts (e.g. the project's node_modules at `/node_modules`). */
  readOnlyBinds?: readonly ReadOnlyBind[];
  /** Extra writable mounts (only the harness's own commands get any: its baseline repository). */
  writableBinds?: readonly ReadOnlyBind[];
  /** Environment of the command (the sandbox starts from an empty one). */
  env: Record<string, string>;
  /** Working directory inside the sandbox. */
  cwd?: string;
  /** The shell command to run. */
  command: string;
  /** Share the host's network (only for external agents that must reach their model API). */
  network?: boolean;
}

/** Mount arguments that reproduce the host's system folders read-only. */
function systemMounts(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const entry of ETC_ENTRIES) args.push('--ro-bind-try', `/etc/${entry}`, `/etc/${entry}`);
  // Name resolution for sandboxes that share the network (harmless without one).
  args.push('--ro-bind-try', '/etc/resolv.conf', '/etc/resolv.conf');
  return args;
}

/**
 * The bubblewrap command line for one command: every namespace unshared (no network, own pid
 * tree, own user mapped to uid 1000 with no capabilities), read-only system folders and /dev, a
 * private size-capped /tmp and /dev/shm, only the workspace writable, and rlimits applied by
 * prlimit inside.
 */
export function bwrapArgs(options: BwrapArgsOptions): string[] {
  const { limits } = options;
  const args = [
    '--unshare-all',
    ...(options.network ? ['--share-net'] : []),
    '--unshare-user',
    '--disable-userns',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--hostname',
    'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    ...systemMounts(),
    '--ro-bind',
    `${options.etcDir}/passwd`,
    '/etc/passwd',
    '--ro-bind',
    `${options.etcDir}/group`,
    '/etc/group',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // A size-capped /dev/shm, then /dev itself read-only (bwrap's remount is not recursive).
    '--size',
    String(limits.shmBytes),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--size',
    String(limits.tmpBytes),
    '--tmpfs',
    '/tmp',
    '--bind',
    options.workspace,
    LOCAL_WORKDIR,
  ];
  for (const bind of options.readOnlyBinds ?? []) args.push('--ro-bind', bind.host, bind.sandbox);
  for (const bind of options.writableBinds ?? []) args.push('--bind', bind.host, bind.sandbox);
  // The root is a tmpfs bwrap built to hold the mount points; freeze it so only /workspace and /tmp take writes.
  args.push('--remount-ro', '/');
  args.push('--chdir', options.cwd ?? LOCAL_WORKDIR, '--clearenv');
  for (const [name, value] of Object.entries(options.env)) args.push('--setenv', name, value);
  args.push('--', ...prlimitPrefix(limits), '/bin/bash', '-c', options.command);
  return args;
}

/** `prlimit` invocation applying the per-process limits (hard and soft) before the shell starts. */
export function prlimitPrefix(limits: SandboxLimits): string[] {
  return [
    '/usr/bin/prlimit',
    `--cpu=${limits.cpuSeconds}`,
    `--data=${limits.memoryBytes}`,
    `--nproc=${limits.processes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nofile=${limits.openFiles}`,
    '--core=0',
    '--',
  ];
}
