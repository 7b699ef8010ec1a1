/** Defaults of the queue transport, in one place. */
export const QUEUE_DEFAULTS = {
  /** BullMQ key prefix of every MarketBench queue in Redis. */
  prefix: 'marketbench',
  /** How long a worker's lock on a job lasts without renewal (BullMQ renews it at half this). */
  lockDurationMs: 30_000,
  /** How often workers look for jobs whose worker died (the stall interval). */
  stalledIntervalMs: 30_000,
  /** Tries of a job (starts, counting those killed mid-job) before it ends failed. */
  maxTries: 3,
  /** Jobs a worker runs at once per provider queue. */
  workerConcurrency: 4,
  /** How long connecting to Redis may take before the command gives up. */
  connectTimeoutMs: 5_000,
  /** How long the coordinator waits for Redis to come back before it stops the run (resumable). */
  outageTimeoutMs: 60_000,
  /** How often the coordinator re-reads the state of jobs it waits for (a net under lost events). */
  pollIntervalMs: 5_000,
  /** How long the workers' per-run response cache keeps a reply in Redis (a day: long enough for any retry). */
  runCacheTtlSeconds: 86_400,
} as const;
