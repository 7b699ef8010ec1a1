import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSandbox } from './local-sandbox.js';
import type { BackendAvailability } from './sandbox.js';

let cached: Promise<BackendAvailability> | undefined;

/** Probes bubblewrap once per process: starts a real sandbox and runs `true` in it. */
export function localSandboxAvailability(): Promise<BackendAvailability> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<BackendAvailability> {
  let sandbox: LocalSandbox | undefined;
  try {
    sandbox = new LocalSandbox({ workspace: mkdtempSync(join(tmpdir(), 'marketbench-probe-')), ownsWorkspace: true });
    const result = await sandbox.exec('true', { timeoutMs: 15_000 });
    if (result.exitCode === 0) return { ok: true, reason: '' };
    return { ok: false, reason: `bwrap could not start a sandbox: ${result.stderr.trim() || `exit ${result.exitCode}`}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'bwrap not found on PATH (install the bubblewrap package)' };
    return { ok: false, reason: `bwrap could not start a sandbox: ${(error as Error).message}` };
  } finally {
    await sandbox?.dispose();
  }
}
