import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { Store } from '../../runtime/store/index.js';
import { viewData } from './view-data.js';
import { viewPage } from './view-page.js';

/** The viewer file written beside a store by default: `<store name>-view.html`. */
export function defaultViewFile(dbFile: string): string {
  return join(dirname(dbFile), `${basename(dbFile).replace(/\.[^.]+$/, '')}-view.html`);
}

/**
 * Writes the run viewer of a store (every run, or the given ones) as one self-contained HTML
 * file. A missing store or an unknown run is an error, and nothing is written.
 */
export function writeView(options: { dbFile: string; runIds?: readonly string[]; outFile?: string }): { file: string; runs: number; tasks: number; attempts: number } {
  if (!existsSync(options.dbFile)) throw new InvalidInputError('no store here (give an existing file with --db)', { file: options.dbFile });
  const store = Store.open(options.dbFile);
  let html: string;
  let counts: { runs: number; tasks: number; attempts: number };
  try {
    const known = new Set(store.listRuns().map((run) => run.id));
    const unknown = (options.runIds ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new InvalidInputError(`no run ${unknown.join(', ')} in this store; it has ${[...known].join(', ') || 'no runs'}`, { file: options.dbFile, field: 'run' });
    }
    const data = viewData(store, options.runIds);
    const mock = store.getWorkers().some((worker) => worker.model.startsWith('mock:'));
    html = viewPage({ data, title: basename(options.dbFile), mock, simulated: data.runs.some((run) => run.kind === 'simulate') });
    counts = {
      runs: data.runs.length,
      tasks: data.runs.reduce((sum, run) => sum + run.tasks.length, 0),
      attempts: data.runs.reduce((sum, run) => sum + run.tasks.reduce((n, task) => n + task.attempts.length, 0), 0),
    };
  } finally {
    store.close();
  }
  const file = options.outFile ?? defaultViewFile(options.dbFile);
  // Written whole then renamed, so a failed write never leaves half a page.
  writeFileSync(`${file}.tmp`, html);
  renameSync(`${file}.tmp`, file);
  return { file, ...counts };
}
