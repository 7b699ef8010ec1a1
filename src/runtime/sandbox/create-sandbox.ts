import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAvailability } from './docker-cli.js';
import { createDockerSandbox, type DockerSandboxOptions } from './docker-sandbox.js';
import { SandboxUnavailableError } from './errors.js';
import type { ReadOnlyBind } from './bwrap-args.js';
import type { SandboxLimitsInput } from './limits.js';
import { localSandboxAvailability } from './local-availability.js';
import { createLocalSandbox } from './local-sandbox.js';
import type { Sandbox } from './sandbox.js';

/** Which backend to use: `auto` tries local (bubblewrap) first, then docker. */
export type SandboxBackendName = 'local' | 'docker' | 'auto';

/** Options of `createSandbox`. */
export interface CreateSandboxOptions {
  /** Backend (default `auto`). */
  backend?: SandboxBackendName;
  /** Host folder with the starting files; a fresh empty one when omitted. */
  workspace?: string;
  /** Remove the workspace on dispose (default: true when the factory made it). */
  ownsWorkspace?: boolean;
  /** Resource limits. */
  limits?: SandboxLimitsInput;
  /** Environment variables for every command. */
  env?: Record<string, string>;
  /** Local only: extra read-only mounts. */
  readOnlyBinds?: readonly ReadOnlyBind[];
  /** Docker only: the image (required for docker). */
  image?: string;
  /** Docker only: more options (workdir, preamble, pull, cpus, dockerBin). */
  docker?: Omit<DockerSandboxOptions, 'image' | 'workspace' | 'limits' | 'env'>;
}

/** Which backends can run here, with the reason for each that cannot. */
export async function sandboxBackends(dockerBin?: string): Promise<Record<'local' | 'docker', { ok: boolean; reason: string }>> {
  const [local, dockerState] = await Promise.all([localSandboxAvailability(), dockerAvailability(dockerBin)]);
  return { local, docker: dockerState };
}

/**
 * Creates a sandbox on the requested backend, or throws `SandboxUnavailableError` naming why each
 * candidate backend cannot run here (never falls back to running commands unsandboxed).
 */
export async function createSandbox(options: CreateSandboxOptions = {}): Promise<Sandbox> {
  const wanted = options.backend ?? 'auto';
  const reasons: Record<string, string> = {};
  const madeWorkspace = options.workspace === undefined;
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'marketbench-ws-'));
  const ownsWorkspace = options.ownsWorkspace ?? madeWorkspace;
  if (wanted === 'local' || wanted === 'auto') {
    const local = await localSandboxAvailability();
    if (local.ok) {
      return createLocalSandbox({ workspace, ownsWorkspace, limits: options.limits, env: options.env, readOnlyBinds: options.readOnlyBinds });
    }
    reasons.local = local.reason;
  }
  if (wanted === 'docker' || wanted === 'auto') {
    const dockerState = await dockerAvailability(options.docker?.dockerBin);
    if (!dockerState.ok) reasons.docker = dockerState.reason;
    else if (!options.image) reasons.docker = 'no image given';
    else {
      const sandbox = await createDockerSandbox({ ...options.docker, image: options.image, workspace, limits: options.limits, env: options.env });
      return sandbox;
    }
  }
  throw new SandboxUnavailableError(reasons);
}
