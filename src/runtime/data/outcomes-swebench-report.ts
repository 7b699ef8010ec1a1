import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/errors.js';
import type { ImportedOutcome, ParsedOutcomes } from './outcomes-types.js';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`cannot read JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
}

function idList(report: Record<string, unknown>, field: string, file: string): string[] | undefined {
  const value = report[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw new InvalidInputError('expected an array of instance ids', { file, field });
  }
  return value;
}

/** True when a parsed JSON document looks like a SWE-bench harness report (any of its shapes). */
export function isSwebenchReport(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if ('resolved_ids' in record || 'resolved' in record) return true;
  const first = Object.values(record)[0];
  return typeof first === 'object' && first !== null && typeof (first as Record<string, unknown>).resolved === 'boolean';
}

/**
 * Reads a SWE-bench evaluation report for one worker:
 * - the harness's final report (`resolved_ids`, `unresolved_ids`, `empty_patch_ids`, `error_ids`):
 *   resolved ids resolve, the other three lists are attempts that did not (exit reasons
 *   `empty-patch`, `error`); incomplete ids are left out;
 * - the experiments `results.json` (`resolved` only): every id of `taskIds` not resolved is
 *   counted as unresolved, so `taskIds` (the tasks that were attempted) is required;
 * - a per-instance report (`{ "<id>": { "resolved": true, … } }`).
 * Costs are unknown (null).
 */
export function parseSwebenchReport(options: { file: string; worker: string; taskIds?: readonly string[] }): ParsedOutcomes {
  const { file, worker } = options;
  const raw = readJson(file);
  if (!isSwebenchReport(raw)) {
    throw new InvalidInputError('not a SWE-bench report: expected resolved_ids / resolved, or { "<instance>": { "resolved": … } }', { file });
  }
  const report = raw as Record<string, unknown>;
  const outcome = (taskId: string, resolved: boolean, exitReason: string | null = null): ImportedOutcome => ({
    taskId,
    workerId: worker,
    resolved,
    costUsd: null,
    inputTokens: 0,
    outputTokens: 0,
    round: 1,
    exitReason,
  });
  const warnings: string[] = [];
  const resolvedIds = idList(report, 'resolved_ids', file) ?? idList(report, 'resolved', file);
  if (resolvedIds === undefined) {
    const outcomes = Object.entries(report).map(([taskId, value]) => {
      const resolved = (value as Record<string, unknown> | null)?.resolved;
      if (typeof resolved !== 'boolean') throw new InvalidInputError('expected { "resolved": true | false }', { file, field: taskId });
      return outcome(taskId, resolved);
    });
    return { outcomes, warnings };
  }
  const outcomes = new Map<string, ImportedOutcome>();
  const unresolved = idList(report, 'unresolved_ids', file);
  for (const [field, reason] of [
    ['unresolved_ids', null],
    ['empty_patch_ids', 'empty-patch'],
    ['error_ids', 'error'],
  ] as const) {
    for (const id of idList(report, field, file) ?? []) outcomes.set(id, outcome(id, false, reason));
  }
  if (unresolved === undefined) {
    if (!options.taskIds) {
      throw new InvalidInputError('the report lists only resolved ids: pass --tasks FILE with the tasks that were attempted', { file, field: 'resolved' });
    }
    const resolvedSet = new Set(resolvedIds);
    for (const id of options.taskIds) if (!resolvedSet.has(id) && !outcomes.has(id)) outcomes.set(id, outcome(id, false));
    warnings.push(`no unresolved list: ${options.taskIds.length - resolvedSet.size} tasks of --tasks not in 'resolved' counted as unresolved`);
  }
  for (const id of resolvedIds) outcomes.set(id, outcome(id, true));
  return { outcomes: [...outcomes.values()], warnings };
}
