import { lstatSync } from 'node:fs';
import { docker } from './docker-cli.js';

/**
 * The host path of a running container's workdir, through its init process's root
 * (`/proc/<pid>/root/<workdir>`), so the harness can measure the workspace from outside without
 * running anything in the container. Works whatever the storage driver, when the engine runs on
 * this machine and the harness may read other processes' roots (root); otherwise says why not.
 */
export async function containerWorkspaceOnHost(input: { container: string; workdir: string; dockerBin?: string }): Promise<{ dir: string } | { reason: string }> {
  const inspected = await docker(['inspect', '--format', '{{.State.Pid}}', input.container], { dockerBin: input.dockerBin, timeoutMs: 30_000 });
  const pid = Number(inspected.stdout.trim());
  if (inspected.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) return { reason: `docker inspect gave no process id for ${input.container}` };
  const dir = `/proc/${pid}/root${input.workdir}`;
  try {
    // The workdir itself, not a symlink the image put there (the walk never follows links below it).
    if (!lstatSync(dir).isDirectory()) return { reason: `${input.workdir} is not a folder in the container` };
  } catch (error) {
    return { reason: `the container's files are not readable from here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): is the engine on another machine, or the harness not root?` };
  }
  return { dir };
}
