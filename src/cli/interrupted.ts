/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), as a shell reports a command it interrupted. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Thrown once an interrupted run has printed its summary, so the process exits 130 with no
 * further line: `marketbench market … && marketbench report …` must not go on to report a run
 * that was stopped half-way (the run itself is saved, and rerunning the command resumes it).
 */
export class RunInterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'RunInterruptedError';
  }
}

/** Ends the command with exit status 130 when the user interrupted it (`signal` is the command's Ctrl-C controller's). */
export function exitWhenInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new RunInterruptedError();
}
