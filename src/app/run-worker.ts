import { InvalidInputError } from '../core/errors.js';
import { openCheckedRedis } from '../runtime/jobs/queue/queue-connection.js';
import { openQueueRunCache } from '../runtime/jobs/queue/queue-run-cache.js';
import { LOCAL_PROVIDER } from '../runtime/jobs/queue/queue-protocol.js';
import { parseQueueUrl } from '../runtime/jobs/queue/queue-url.js';
import { type QueueJobHandler, type QueueWorkerEvent, type QueueWorkerHandle, startQueueWorker } from '../runtime/jobs/queue/queue-worker.js';
import { missingProviderKeys, providersWithKeys } from '../runtime/providers/provider-keys.js';
import { workerJobHandlers } from './worker-job-handlers.js';

/** The offline mock provider: it needs no key, so every worker serves it unless told otherwise. */
const MOCK_PROVIDER = 'mock';

/** Options of `runWorker` (what `marketbench worker` passes). */
export interface RunWorkerOptions {
  /** `redis://[:password@]HOST:PORT[/DB]`. */
  queueUrl: string;
  /** Provider prefixes to serve; default: every hosted provider whose key is set, plus `mock` and `local` (they need none). */
  providers?: readonly string[];
  /** Jobs at once per provider queue. */
  concurrency?: number;
  /** Sandbox backend for attempts. */
  sandbox?: 'local' | 'docker';
  /** Environment holding this machine's keys (and base URLs). */
  env: Record<string, string | undefined>;
  /** Base URL for every provider on this machine (overrides the coordinator's). */
  baseUrl?: string;
  /** Folder suite paths of attempt jobs are resolved against (default: the current folder). */
  cwd?: string;
  /** Lock duration (the stall interval follows it). */
  lockDurationMs?: number;
  /** How often to look for jobs of dead workers. */
  stalledIntervalMs?: number;
  /** Starts of a job before it ends failed. */
  maxTries?: number;
  /** Job functions by kind (default: every kind the coordinator enqueues). */
  handlers?: ReadonlyMap<string, QueueJobHandler>;
  /** Receives events. */
  onEvent?: (event: QueueWorkerEvent) => void;
}

/** A started worker, with what it serves. */
export interface RunningWorker extends QueueWorkerHandle {
  /** Provider prefixes served. */
  providers: string[];
  /** The queue URL without its password. */
  queueDisplay: string;
}

/**
 * Starts a `marketbench worker`: checks that this machine holds the key of every provider it
 * serves (refusing to start, naming those missing), that Redis answers and holds no jobs of
 * another version, then pulls jobs of those providers only and runs them with the registered job
 * functions. The worker writes no store and holds no budget: results go back to the coordinator.
 */
export async function runWorker(options: RunWorkerOptions): Promise<RunningWorker> {
  const address = parseQueueUrl(options.queueUrl);
  const named = options.providers?.map((provider) => provider.trim()).filter((provider) => provider !== '');
  const providers = named && named.length > 0 ? [...new Set(named)] : [...providersWithKeys(options.env), MOCK_PROVIDER, LOCAL_PROVIDER];
  const hosted = providers.filter((provider) => provider !== LOCAL_PROVIDER);
  const missing = missingProviderKeys(hosted, options.env);
  if (missing.length > 0) {
    const list = missing.map((entry) => `${entry.provider} (set ${entry.variables.join(' or ')})`).join(', ');
    throw new InvalidInputError(`refusing to start: this worker has no API key for ${list}; set it here, or leave the provider out of --providers`, { field: 'providers' });
  }
  const probe = await openCheckedRedis(address);
  probe.disconnect();
  // Replies of a run's calls, shared by its workers: a job retried after a kill does not pay again for them.
  const runCache = options.handlers ? undefined : openQueueRunCache(address);
  const handle = await startQueueWorker({
    address,
    providers,
    handlers:
      options.handlers ??
      workerJobHandlers({ env: options.env, baseUrl: options.baseUrl, sandbox: options.sandbox ?? 'local', runCache, ...(options.cwd !== undefined && { cwd: options.cwd }) }),
    concurrency: options.concurrency,
    lockDurationMs: options.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs,
    maxTries: options.maxTries,
    onEvent: options.onEvent,
  });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await runCache?.close();
    },
    providers,
    queueDisplay: address.display,
  };
}
