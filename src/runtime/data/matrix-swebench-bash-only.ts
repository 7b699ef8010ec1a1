import { existsSync } from 'node:fs';
import path from 'node:path';
import { cellKey, InvalidInputError, type Matrix, type MatrixCell } from '../../core/index.js';
import { readBashOnlyFile, submissionWorkerId } from './bash-only-file.js';
import { NOMINAL_BLENDED_PRICE } from './matrix-pricing.js';
import { readTaskFeatures } from './matrix-task-features.js';

/** A loaded matrix with notes about what was left out or is doubtful. */
export interface LoadedMatrix {
  /** The matrix. */
  matrix: Matrix;
  /** Human-readable notes (skipped submissions, data warnings, nominal prices). */
  warnings: string[];
  /** From a store holding market runs: the value V they used (their bounty in USD), when they agree. */
  market?: { valueUsd: number; runIds: string[] };
}

/**
 * Loads the SWE-bench bash-only leaderboard outcomes (`outcomes.json`: aligned `instances` and
 * per-submission `resolved`, `cost_usd`, `api_calls`). Only submissions with a per-task cost for
 * every instance are workers; the worker id is the submission's `model` (else its folder or
 * name). Tokens are unknown (null), so the blended price is `blendedPrice[worker]` when given,
 * else a nominal $1 per million tokens, which only sets the token unit (tokens = cost / price).
 * Task features come from `tasksFile` (default: `tasks.jsonl` next to the outcomes, if present):
 * repository, statement length, code blocks, traceback, and test count when listed.
 */
export function loadSwebenchBashOnlyMatrix(options: {
  /** Path of outcomes.json. */
  file: string;
  /** Path of the task statements JSONL; default `tasks.jsonl` in the same folder when it exists. */
  tasksFile?: string;
  /** Blended USD price per token per worker id, when known. */
  blendedPrice?: Record<string, number>;
}): LoadedMatrix {
  const { file } = options;
  const { instances, submissions } = readBashOnlyFile(file);
  const warnings: string[] = [];
  const workerIds: string[] = [];
  const cells = new Map<string, MatrixCell>();
  submissions.forEach((submission, index) => {
    const resolved = submission.resolved;
    const cost = submission.cost_usd;
    const complete =
      resolved !== undefined &&
      cost !== undefined &&
      resolved.length === instances.length &&
      resolved.every((value) => value !== null) &&
      cost.length === instances.length &&
      cost.every((value) => value !== null && value >= 0);
    if (!complete) {
      warnings.push(`skipped '${submission.name}': no per-task cost for every instance`);
      return;
    }
    const workerId = submissionWorkerId(submission);
    if (workerIds.includes(workerId)) {
      throw new InvalidInputError(`worker '${workerId}' appears twice (duplicate task × worker pairs)`, {
        file,
        field: `submissions.${index}.model`,
      });
    }
    if (submission.data_warning) warnings.push(`'${workerId}': ${submission.data_warning}`);
    workerIds.push(workerId);
    instances.forEach((taskId, taskIndex) => {
      cells.set(cellKey(taskId, workerId), {
        taskId,
        workerId,
        p: null,
        expectedTokens: null,
        ask: null,
        resolved: Boolean(resolved[taskIndex]),
        costUsd: cost[taskIndex] as number,
        tokens: null,
      });
    });
  });
  const duplicates = instances.filter((taskId, index) => instances.indexOf(taskId) !== index);
  if (duplicates.length > 0) {
    throw new InvalidInputError(`instance '${duplicates[0]}' is listed twice`, { file, field: 'instances' });
  }
  const blendedPrice: Record<string, number> = {};
  let nominal = false;
  for (const workerId of workerIds) {
    const given = options.blendedPrice?.[workerId];
    if (given === undefined) nominal = true;
    blendedPrice[workerId] = given ?? NOMINAL_BLENDED_PRICE;
  }
  if (nominal) warnings.push('no pricing for some workers: tokens are in nominal units of $1 per million');
  const tasksFile = options.tasksFile ?? path.join(path.dirname(file), 'tasks.jsonl');
  const taskFeatures =
    options.tasksFile !== undefined || existsSync(tasksFile) ? readTaskFeatures(tasksFile, instances) : {};
  return { matrix: { taskIds: instances.slice(), workerIds, cells, blendedPrice, taskFeatures }, warnings };
}
