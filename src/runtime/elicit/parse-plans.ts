import { checkPlanMenu, type Plan, type PlanCaps } from '../../core/plan.js';
import type { Treatment } from '../../core/forecast.js';
import { type ParsedForecast, parseForecastReply } from './parse-forecast.js';

/** A `plans` reply read into a menu, with the single-point view of the forecast row. */
export interface ParsedPlans extends ParsedForecast {
  /** The stated menu on the offered budgets, sorted by budget; null when invalid. */
  menu: Plan[] | null;
}

function invalid(reason: string, rationale: string | null = null): ParsedPlans {
  return { valid: false, invalidReason: reason, pSuccess: null, expectedTokens: null, ask: null, rationale, menu: null };
}

function firstObject(text: string): Record<string, unknown> | undefined {
  const candidates = [text.trim(), ...[...text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)].map((match) => (match[1] ?? '').trim())];
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Not this candidate; try the next.
    }
  }
  return undefined;
}

/**
 * Reads a `plans` reply against the budgets offered: a JSON object whose `plans` list has one entry
 * per budget (matched by its `budget` number, else by position), each with a p and tokens read as a
 * `direct` forecast reads them (same probability rules). The menu is then checked (`checkPlanMenu`):
 * a wrong count, a p outside [0, 1], missing tokens, or p falling as the budget rises make the
 * reply invalid with the reason. The row's `pSuccess` and `expectedTokens` are the largest budget's.
 */
export function parsePlansReply(text: string, budgets: readonly PlanCaps[]): ParsedPlans {
  const object = firstObject(text);
  if (!object) return invalid('no JSON object found in the reply');
  const rationale = typeof object.rationale === 'string' && object.rationale.trim() !== '' ? object.rationale.trim() : null;
  const list = object.plans ?? object.menu;
  if (!Array.isArray(list)) return invalid('no "plans" list in the reply', rationale);
  if (list.length !== budgets.length) return invalid(`the reply states ${list.length} plans; ${budgets.length} budgets were offered`, rationale);
  const stated = new Map<number, { pSuccess: number; expectedTokens: number }>();
  for (const [index, entry] of list.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return invalid(`plan ${index + 1} is not an object`, rationale);
    const record = entry as Record<string, unknown>;
    const number = typeof record.budget === 'number' ? record.budget : index + 1;
    if (!Number.isInteger(number) || number < 1 || number > budgets.length) return invalid(`plan ${index + 1} names budget ${String(record.budget)}; expected 1 to ${budgets.length}`, rationale);
    if (stated.has(number)) return invalid(`budget ${number} is stated twice`, rationale);
    const point = parseForecastReply(JSON.stringify(record), 'direct');
    if (!point.valid || point.pSuccess === null) return invalid(`budget ${number}: ${point.invalidReason ?? 'missing p_success'}`, rationale);
    if (point.expectedTokens === null) return invalid(`budget ${number}: missing expected_tokens`, rationale);
    stated.set(number, { pSuccess: point.pSuccess, expectedTokens: point.expectedTokens });
  }
  const menu = budgets.map((budget, index) => ({ ...budget, ...(stated.get(index + 1) as { pSuccess: number; expectedTokens: number }) }));
  const check = checkPlanMenu(menu);
  if (!check.ok) return invalid(check.reason, rationale);
  const top = check.menu[check.menu.length - 1] as Plan;
  return { valid: true, invalidReason: null, pSuccess: top.pSuccess, expectedTokens: top.expectedTokens, ask: null, rationale, menu: check.menu };
}

/** Reads a forecast job's reply: a menu for treatment `plans` (against the offered budgets), else a single point. */
export function parseElicitReply(text: string, payload: { treatment: Treatment; planBudgets?: readonly PlanCaps[] }): ParsedForecast & { menu?: Plan[] | null } {
  if (payload.treatment === 'plans') return parsePlansReply(text, payload.planBudgets ?? []);
  return parseForecastReply(text, payload.treatment);
}
