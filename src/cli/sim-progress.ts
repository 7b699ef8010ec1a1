import cliProgress from 'cli-progress';
import type { DemoObserver } from '../app/demo-observer.js';
import type { CliIo } from './command-spec.js';

/** A cli-progress bar that writes through `io.err`, so output stays injectable. */
function progressBar(io: CliIo, format: string): cliProgress.SingleBar {
  const stream = {
    write: (text: string) => {
      io.err(text);
      return true;
    },
    isTTY: true,
    columns: 100,
  };
  return new cliProgress.SingleBar(
    { format, stream: stream as unknown as NodeJS.WriteStream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

/**
 * Progress for step events: a bar on a terminal, plain lines (`[1/3] label`, then
 * `[1/3] step done in 0.4 s`) otherwise, so logs stay readable.
 */
export function stepProgress(io: CliIo): DemoObserver & { stop: () => void } {
  if (!io.isTty) {
    return {
      onEvent: (event) => {
        if (event.type === 'step-start') io.err(`[${event.index}/${event.total}] ${event.label}\n`);
        else io.err(`[${event.index}/${event.total}] ${event.step} done in ${(event.elapsedMs / 1000).toFixed(1)} s\n`);
      },
      stop: () => {},
    };
  }
  const bar = progressBar(io, '{bar} {value}/{total} {label}');
  let started = false;
  return {
    onEvent: (event) => {
      if (!started) {
        bar.start(event.total, 0, { label: '' });
        started = true;
      }
      if (event.type === 'step-start') bar.update(event.index - 1, { label: event.label });
      else bar.update(event.index, { label: `${event.step} done` });
      bar.render();
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * Progress for a count of units: a bar on a terminal; otherwise a line each time `every` units
 * finish (and at the end), e.g. `sweep 22/55`.
 */
export function countProgress(io: CliIo, options: { label: string; every: number }): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  if (!io.isTty) {
    return {
      update: (done, total) => {
        if (done % options.every === 0 || done === total) io.err(`${options.label} ${done}/${total}\n`);
      },
      stop: () => {},
    };
  }
  const bar = progressBar(io, `${options.label} {bar} {value}/{total}`);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
      bar.render();
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
