/**
 * Reading what `marketbench worker` and a `--queue` coordinator print, for the kill tests: the jobs
 * a killed worker held, and the starts the coordinator says were lost.
 */

/** Jobs a worker printed `start KIND KEY` for and never `done`/`failed`: those it held when it died. */
export function heldJobs(workerOutput: string): string[] {
  const lines = workerOutput.split('\n');
  const started = lines.filter((line) => line.startsWith('start ')).map((line) => line.split(' ')[2]);
  const ended = new Set(lines.filter((line) => /^(done|failed) /.test(line)).map((line) => line.split(' ')[2]));
  return started.filter((key): key is string => key !== undefined && !ended.has(key));
}

/** The coordinator's closing count of starts that ended without an answer, and the USD charged for them (0 when it printed none). */
export function lostStarts(coordinatorOutput: string): { starts: number; usd: number } {
  const match = /queue: (\d+) start\(s\) ended without an answer .*\(\$([0-9.]+) in all\)/.exec(coordinatorOutput);
  return { starts: Number(match?.[1] ?? 0), usd: Number(match?.[2] ?? 0) };
}
