import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cellKey, InvalidInputError, type Matrix, type MatrixCell } from '../../core/index.js';
import { parsePhase1Rows, parsePricingCsv } from './phase1.js';
import type { LoadedMatrix } from './matrix-swebench-bash-only.js';

/**
 * Loads the paper's phase-1 rows (CSV or JSONL: task_id, model_ref, p_success,
 * estimated_tokens_total, outcome, external_cost) as a matrix: worker = model_ref, p and expected
 * tokens as stated, resolved = outcome, cost = external_cost (actual tokens = cost / blended
 * price). Blended prices come from `blendedPrice`, else the pricing CSV `pricingFile`, else
 * `model_token_pricing.csv` next to the file, else the rows' own blended price column. With
 * several strategies in one file, pass `treatment` to pick one. A bad row, a missing cost or
 * price, a duplicate (task, worker) pair or a missing cell is an `InvalidInputError`.
 */
export function loadPaperMatrix(options: {
  /** Path of the phase-1 file. */
  file: string;
  /** Path of the pricing CSV. */
  pricingFile?: string;
  /** Blended price per worker, overriding any file. */
  blendedPrice?: Record<string, number>;
  /** Keep only rows of this strategy/treatment. */
  treatment?: string;
}): LoadedMatrix {
  const { file, treatment } = options;
  const sibling = path.join(path.dirname(file), 'model_token_pricing.csv');
  const pricingFile = options.pricingFile ?? (existsSync(sibling) ? sibling : undefined);
  const pricing =
    pricingFile === undefined ? undefined : parsePricingCsv({ text: readFileSync(pricingFile, 'utf8'), file: pricingFile });
  let body: string;
  try {
    body = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read phase-1 file: ${(error as Error).message}`, { file });
  }
  const { rows } = parsePhase1Rows({ text: body, file, pricing, strict: true });
  const kept = treatment === undefined ? rows : rows.filter((row) => row.treatment === treatment);
  if (kept.length === 0) throw new InvalidInputError(`no rows${treatment ? ` with strategy '${treatment}'` : ''}`, { file });
  const taskIds: string[] = [];
  const workerIds: string[] = [];
  const cells = new Map<string, MatrixCell>();
  const blendedPrice: Record<string, number> = {};
  const taskFeatures: Record<string, Record<string, number | string>> = {};
  for (const row of kept) {
    const key = cellKey(row.taskId, row.workerId);
    if (cells.has(key)) {
      throw new InvalidInputError(
        `duplicate (task, worker) pair (${row.taskId}, ${row.workerId})${treatment ? '' : '; several strategies? pick one with a treatment'}`,
        { file },
      );
    }
    if (row.costUsd === null) {
      throw new InvalidInputError(`row (${row.taskId}, ${row.workerId}) has no cost`, { file, field: 'external_cost' });
    }
    const price = options.blendedPrice?.[row.workerId] ?? row.blendedPrice;
    if (price === null || price === undefined) {
      throw new InvalidInputError(`no blended price for '${row.workerId}'; give a pricing file`, {
        file,
        field: 'model_ref',
      });
    }
    blendedPrice[row.workerId] = price;
    cells.set(key, {
      taskId: row.taskId,
      workerId: row.workerId,
      p: row.p,
      expectedTokens: row.expectedTokens,
      ask: null,
      resolved: row.y === 1,
      costUsd: row.costUsd,
      tokens: row.tokens,
    });
    if (!taskFeatures[row.taskId]) {
      taskIds.push(row.taskId);
      taskFeatures[row.taskId] = row.groups.repo === undefined ? {} : { repo: row.groups.repo };
    }
    if (!workerIds.includes(row.workerId)) workerIds.push(row.workerId);
  }
  for (const taskId of taskIds) {
    for (const workerId of workerIds) {
      if (!cells.has(cellKey(taskId, workerId))) {
        throw new InvalidInputError(`missing cell (${taskId}, ${workerId}): no row for that task and worker`, { file });
      }
    }
  }
  const matrix: Matrix = { taskIds, workerIds, cells, blendedPrice, taskFeatures };
  return { matrix, warnings: [] };
}
