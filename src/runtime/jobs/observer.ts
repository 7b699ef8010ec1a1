/** The run is about to launch its jobs. */
export interface RunStartEvent {
  /** Event type. */
  type: 'run-start';
  /** The run. */
  runId: string;
  /** Jobs planned in all. */
  total: number;
  /** Jobs already done in an earlier session (skipped). */
  skipped: number;
  /** The budget ceiling in USD (Infinity when none). */
  budgetUsd: number;
  /** USD counted from earlier sessions of the run. */
  priorSpendUsd: number;
}

/** A paid job is starting (its money is reserved and its ledger row written). */
export interface JobStartEvent {
  /** Event type. */
  type: 'job-start';
  /** The run. */
  runId: string;
  /** Job key. */
  key: string;
  /** Human label, e.g. `openai:gpt-5.2 astropy__astropy-12907 direct #0`. */
  label: string;
  /** USD reserved for its first try. */
  reservedUsd: number;
}

/** A paid job ended. */
export interface JobEndEvent {
  /** Event type. */
  type: 'job-end';
  /** The run. */
  runId: string;
  /** Job key. */
  key: string;
  /** Human label. */
  label: string;
  /** `done` or `failed`. */
  status: 'done' | 'failed';
  /** USD spent by this job in this session. */
  spentUsd: number;
  /** Error of a failed job. */
  error: string | undefined;
  /** A short note from the executor (e.g. `invalid: out of range`, `cache hit`). */
  note: string | undefined;
}

/** The run stopped launching and every job in flight has ended. */
export interface RunEndEvent {
  /** Event type. */
  type: 'run-end';
  /** The run. */
  runId: string;
  /** `done` (every job ran), `stopped` (budget or signal). */
  status: 'done' | 'stopped';
  /** Why it stopped early, when it did. */
  stopReason: 'budget' | 'signal' | undefined;
  /** Counts and money. */
  summary: RunSummary;
}

/** Any harness event (noun-first names). */
export type HarnessEvent = RunStartEvent | JobStartEvent | JobEndEvent | RunEndEvent;

/** Counts and money of a run session. */
export interface RunSummary {
  /** Jobs planned. */
  total: number;
  /** Jobs done in earlier sessions, skipped now. */
  skipped: number;
  /** Jobs that ended done in this session. */
  done: number;
  /** Jobs that ended failed in this session (a rerun retries them). */
  failed: number;
  /** Jobs never started (budget or signal). */
  notStarted: number;
  /** USD spent in this session. */
  sessionSpendUsd: number;
  /** USD counted in all sessions of the run (earlier sessions + this one). */
  totalSpendUsd: number;
  /** The ceiling (Infinity when none). */
  budgetUsd: number;
}

/** Receives harness events; progress bars, loggers and tests implement it. */
export interface RunObserver {
  /** Called synchronously for every event; must not throw. */
  onEvent(event: HarnessEvent): void;
}

/** An observer that forwards to several. */
export function combineObservers(...observers: (RunObserver | undefined)[]): RunObserver {
  const active = observers.filter((observer): observer is RunObserver => observer !== undefined);
  return {
    onEvent: (event) => {
      for (const observer of active) observer.onEvent(event);
    },
  };
}

/** An observer that collects events in memory (tests, summaries). */
export function collectEvents(): RunObserver & { events: HarnessEvent[] } {
  const events: HarnessEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}
