import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadOnlyBind } from './bwrap-args.js';

/**
 * The project's own node_modules (found by walking up from this file to a folder that has
 * `node_modules/tsx`), or undefined. Mounted read-only at `/node_modules`, it lets sandboxed
 * commands resolve `tsx` and `typescript` from any folder without network or installs.
 */
export function projectNodeModules(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'tsx'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Read-only mounts every local sandbox gets: the project's node_modules at `/node_modules`, and the
 * Node.js installation when it lives outside /usr (nvm, /opt), at the same path.
 */
export function defaultToolBinds(): ReadOnlyBind[] {
  const binds: ReadOnlyBind[] = [];
  const modules = projectNodeModules();
  if (modules) binds.push({ host: modules, sandbox: '/node_modules' });
  const nodePrefix = dirname(dirname(process.execPath));
  if (!nodePrefix.startsWith('/usr') && nodePrefix !== '/') binds.push({ host: nodePrefix, sandbox: nodePrefix });
  return binds;
}

/** PATH inside the local sandbox: project binaries, then the Node.js installation, then the system. */
export function sandboxPath(binds: readonly ReadOnlyBind[]): string {
  const extra = binds.filter((bind) => bind.sandbox !== '/node_modules').map((bind) => `${bind.sandbox}/bin`);
  const modules = binds.some((bind) => bind.sandbox === '/node_modules') ? ['/node_modules/.bin'] : [];
  return [...modules, ...extra, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
}
