import type { Store } from '../store/store.js';

interface Pending {
  work: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the store: writes queued during one turn of the event loop run in a single
 * SQLite transaction (one WAL append instead of one per write), and each caller's promise
 * resolves once its write is committed. A write that throws is retried alone, so it fails only
 * its own caller. Callers that must not proceed before their row is durable (a job's `started`
 * row before the call) simply await.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  /** Runs `work` in the next batch transaction; resolves after the commit. */
  run(work: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Queues `work` without waiting for it (it commits with the next batch). */
  defer(work: () => void): void {
    this.run(work).catch(() => {});
  }

  /** Commits everything queued now. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.store.transaction(() => {
        for (const item of batch) item.work();
      });
      for (const item of batch) item.resolve();
    } catch {
      for (const item of batch) {
        try {
          this.store.transaction(item.work);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
    }
  }
}
