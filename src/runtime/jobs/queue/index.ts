import { QueueDispatcher } from './queue-dispatcher.js';
import { parseQueueUrl } from './queue-url.js';

export * from './queue-connection.js';
export * from './queue-defaults.js';
export * from './queue-dispatcher.js';
export * from './queue-errors.js';
export * from './queue-executor.js';
export * from './queue-protocol.js';
export * from './queue-run-cache.js';
export * from './queue-url.js';
export * from './queue-worker.js';

/**
 * Opens the coordinator's side of a queue from `--queue URL`: checks that Redis answers, accepts
 * the credentials and holds no jobs of another version (one clear error otherwise), before the
 * caller writes anything.
 */
export function openQueue(url: string): Promise<QueueDispatcher> {
  return QueueDispatcher.open({ address: parseQueueUrl(url) });
}
