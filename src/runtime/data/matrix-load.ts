import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../core/index.js';
import { coverageNote, marketValueUsd, Store, storeMatrixWithCoverage } from '../store/index.js';
import { loadGenericMatrix } from './matrix-generic.js';
import { loadPaperMatrix } from './matrix-paper.js';
import { readBlendedPrices } from './matrix-pricing.js';
import { type LoadedMatrix, loadSwebenchBashOnlyMatrix } from './matrix-swebench-bash-only.js';
import { readTaskFeatures } from './matrix-task-features.js';

/** Input formats `replay` reads. */
export const MATRIX_FORMATS = ['paper', 'swebench-bash-only', 'jsonl', 'csv'] as const;
/** An input format `replay` reads. */
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** Where a replay matrix comes from: a file in one of `MATRIX_FORMATS`, or a store run. */
export interface MatrixSource {
  /** Working directory for relative paths. */
  cwd: string;
  /** Matrix file. */
  matrixFile?: string | undefined;
  /** Its format; guessed from the name and content when omitted. */
  format?: MatrixFormat | undefined;
  /** Pricing file (JSON or the paper's pricing CSV). */
  pricingFile?: string | undefined;
  /** SWE-bench task JSONL to take pre-attempt features from. */
  tasksFile?: string | undefined;
  /** Store file. */
  dbFile?: string | undefined;
  /** Run in the store (all runs when omitted). */
  runId?: string | undefined;
}

/** Guesses a matrix file's format from its name: `outcomes.json` → bash-only, `.jsonl`, `.csv`. */
export function guessMatrixFormat(file: string): MatrixFormat {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.json')) return 'swebench-bash-only';
  if (base.includes('calibration_results') || base.includes('phase1')) return 'paper';
  if (base.endsWith('.csv')) return 'csv';
  return 'jsonl';
}

/** Loads a replay matrix from a file or a store run (see `MatrixSource`). */
export function loadMatrix(source: MatrixSource): LoadedMatrix {
  const resolve = (file: string) => path.resolve(source.cwd, file);
  const blendedPrice = source.pricingFile === undefined ? undefined : readBlendedPrices(resolve(source.pricingFile));
  let loaded: LoadedMatrix;
  if (source.matrixFile !== undefined) {
    const file = resolve(source.matrixFile);
    if (!existsSync(file)) throw new InvalidInputError('matrix file not found', { file: source.matrixFile });
    const format = source.format ?? guessMatrixFormat(file);
    if (format === 'swebench-bash-only') {
      loaded = loadSwebenchBashOnlyMatrix({
        file,
        ...(blendedPrice ? { blendedPrice } : {}),
        ...(source.tasksFile ? { tasksFile: resolve(source.tasksFile) } : {}),
      });
    } else if (format === 'paper') {
      loaded = loadPaperMatrix({ file, ...(blendedPrice ? { blendedPrice } : {}) });
    } else {
      loaded = loadGenericMatrix({ file, format, ...(blendedPrice ? { blendedPrice } : {}) });
    }
  } else if (source.dbFile !== undefined) {
    const dbFile = resolve(source.dbFile);
    if (!existsSync(dbFile)) throw new InvalidInputError('store file not found', { file: source.dbFile });
    const store = Store.open(dbFile);
    try {
      if (source.runId !== undefined && store.getRun(source.runId) === undefined) {
        throw new InvalidInputError(`no run '${source.runId}' in the store`, { file: source.dbFile });
      }
      const { matrix, coverage } = storeMatrixWithCoverage(store, source.runId === undefined ? {} : { runId: source.runId });
      if (blendedPrice) matrix.blendedPrice = { ...matrix.blendedPrice, ...blendedPrice };
      const note = coverageNote(coverage, matrix);
      const market = marketValueUsd(store, source.runId === undefined ? {} : { runId: source.runId });
      loaded = { matrix, warnings: note ? [note] : [], ...(market && { market }) };
    } finally {
      store.close();
    }
  } else {
    throw new InvalidInputError('give --matrix FILE or --db FILE');
  }
  if (source.tasksFile !== undefined && source.format !== 'swebench-bash-only') {
    const extra = readTaskFeatures(resolve(source.tasksFile), loaded.matrix.taskIds);
    for (const [taskId, features] of Object.entries(extra)) {
      loaded.matrix.taskFeatures[taskId] = { ...loaded.matrix.taskFeatures[taskId], ...features };
    }
  }
  return loaded;
}
