import { cellKey } from '../../core/index.js';
import type { PlanOutcomeRow, StatedMenu } from '../../metrics/plan-calibration.js';
import { type PlanCell, type PlanPopulation, planCellAttempt } from './plan-population.js';

/**
 * A plan population as the plan-calibration metrics read it: every stated menu, and every plan
 * played out under its budget (full feedback: the simulation knows each level's outcome). Levels
 * are menu indexes (0 = the lowest budget), since each worker's budgets are its own multiples.
 */
export function planPopulationRows(population: PlanPopulation): { menus: StatedMenu[]; rows: PlanOutcomeRow[] } {
  const menus: StatedMenu[] = [];
  const rows: PlanOutcomeRow[] = [];
  for (const taskId of population.taskIds) {
    for (const workerId of population.workerIds) {
      const cell = population.cells.get(cellKey(taskId, workerId)) as PlanCell;
      const price = population.blendedPrice[workerId] ?? 0;
      menus.push({ workerId, taskId, plans: cell.menu.map((plan, level) => ({ level, pSuccess: plan.pSuccess })) });
      cell.menu.forEach((plan, level) => {
        const { resolved } = planCellAttempt(cell, plan.budgetUsd as number, price);
        rows.push({ workerId, taskId, level, pSuccess: plan.pSuccess, resolved });
      });
    }
  }
  return { menus, rows };
}
