import { createDockerSandbox } from './docker-sandbox.js';
import type { SandboxLimitsInput } from './limits.js';
import { createLocalSandbox } from './local-sandbox.js';
import type { ShellSandbox } from './shell-sandbox.js';
import { projectNodeModules } from './tool-mounts.js';

/**
 * Where a suite's workspaces run: the local bubblewrap sandbox, or a Docker container from an
 * image that has bash, git and coreutils (the host's `node` and the project's node_modules are
 * bound into it read-only, so the image needs no Node.js of its own).
 */
export type WorkspaceBackend = { kind: 'local' } | { kind: 'docker'; image: string; dockerBin?: string };

/** Options of `createWorkspaceSandbox`. */
export interface CreateWorkspaceSandboxOptions {
  /** Backend (default local). */
  backend?: WorkspaceBackend;
  /** Host folder with the starting files; the sandbox owns (and removes) it. */
  workspace: string;
  /** Resource limits. */
  limits?: SandboxLimitsInput;
  /** Share the network (external agents only). */
  network?: boolean;
  /** Extra environment variables for every command. */
  env?: Record<string, string>;
}

/** PATH inside a Docker workspace: project binaries first, then the image's usual folders. */
const DOCKER_PATH = '/node_modules/.bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A sandbox over a task's starting files on the chosen backend, with no baseline recorded yet. */
export async function createWorkspaceSandbox(options: CreateWorkspaceSandboxOptions): Promise<ShellSandbox> {
  const backend = options.backend ?? { kind: 'local' };
  if (backend.kind === 'local') {
    return createLocalSandbox({ workspace: options.workspace, ownsWorkspace: true, limits: options.limits, baseline: false, network: options.network, env: options.env });
  }
  const modules = projectNodeModules();
  const sandbox = await createDockerSandbox({
    image: backend.image,
    dockerBin: backend.dockerBin,
    workspace: options.workspace,
    removeWorkspace: true,
    pull: false,
    limits: options.limits,
    network: options.network,
    baseline: false,
    env: { PATH: DOCKER_PATH, HOME: '/tmp', LANG: 'C.UTF-8', CI: '1', ...options.env },
    readOnlyBinds: [{ host: process.execPath, sandbox: '/usr/local/bin/node' }, ...(modules ? [{ host: modules, sandbox: '/node_modules' }] : [])],
  });
  return sandbox;
}
