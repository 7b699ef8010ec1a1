import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../../core/errors.js';
import type { Pricing } from '../../../core/pricing.js';

/** How a mock worker states its chances relative to its true per-task success probability. */
export type MockForecastStyle = 'calibrated' | 'overconfident' | 'underconfident';

/** A parsed `mock:` model id, e.g. `mock:overconfident?skill=0.4&seed=7&price=3/15`. */
export interface MockPolicy {
  /** How forecasts relate to the true probability. */
  style: MockForecastStyle;
  /** Mean probability of applying the task's known fix (per task it varies around this). */
  skill: number;
  /** Seed mixed into every draw (same seed, same replies). */
  seed: string;
  /** Simulated list price charged through the normal metering path. */
  pricing: Pricing;
}

/** Defaults of a `mock:` reference's parameters. */
export const MOCK_DEFAULTS = { skill: 0.6, seed: '0', inputPerMillion: 1, outputPerMillion: 5 } as const;

const STYLES: readonly MockForecastStyle[] = ['calibrated', 'overconfident', 'underconfident'];

/**
 * Parses the model id of a `mock:` reference. The path names the forecast style; the query sets
 * `skill` (0–1), `seed` and `price` (`in/out` USD per million tokens). Bad parts are errors naming
 * what was expected.
 */
export function parseMockModelId(modelId: string): MockPolicy {
  const [style, query = ''] = modelId.split('?', 2) as [string, string | undefined];
  if (!(STYLES as readonly string[]).includes(style)) {
    throw new InvalidInputError(`mock model '${modelId}': expected mock:calibrated, mock:overconfident or mock:underconfident (optionally ?skill=0.6&seed=1&price=1/5)`, {
      field: 'model',
    });
  }
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!['skill', 'seed', 'price'].includes(key)) throw new InvalidInputError(`mock model '${modelId}': unknown parameter '${key}'; expected skill, seed or price`, { field: 'model' });
  }
  const skillText = params.get('skill');
  const skill = skillText === null ? MOCK_DEFAULTS.skill : Number(skillText);
  if (!(skill >= 0 && skill <= 1)) throw new InvalidInputError(`mock model '${modelId}': skill is '${skillText}'; expected a number from 0 to 1`, { field: 'model' });
  const priceText = params.get('price');
  let inputPerMillion: number = MOCK_DEFAULTS.inputPerMillion;
  let outputPerMillion: number = MOCK_DEFAULTS.outputPerMillion;
  if (priceText !== null) {
    const match = /^([0-9]+(?:\.[0-9]+)?)\/([0-9]+(?:\.[0-9]+)?)$/.exec(priceText);
    if (!match) throw new InvalidInputError(`mock model '${modelId}': price is '${priceText}'; expected IN/OUT USD per million tokens, e.g. 3/15`, { field: 'model' });
    inputPerMillion = Number(match[1]);
    outputPerMillion = Number(match[2]);
  }
  return {
    style: style as MockForecastStyle,
    skill,
    seed: params.get('seed') ?? MOCK_DEFAULTS.seed,
    pricing: { inputPerToken: inputPerMillion / 1e6, outputPerToken: outputPerMillion / 1e6, cachedInputPerToken: inputPerMillion / 1e7 },
  };
}

/** A uniform number in [0, 1) from the hash of its parts (deterministic, no global state). */
export function uniformFrom(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The worker's true probability of solving a task: its skill moved by the task's difficulty (the
 * same for every mock worker with this seed, so workers agree on which tasks are hard). Skill 0
 * and 1 stay exact.
 */
export function trueSuccessProbability(policy: MockPolicy, statement: string): number {
  if (policy.skill <= 0 || policy.skill >= 1) return policy.skill;
  const difficulty = (uniformFrom('difficulty', policy.seed, statement.trim()) - 0.5) * 3;
  return sigmoid(logit(policy.skill) - difficulty);
}

/** The probability a mock worker reports: calibrated = true p; overconfident shrinks the gap to 1 by 60%; underconfident halves p. */
export function statedProbability(policy: MockPolicy, trueP: number): number {
  if (policy.style === 'overconfident') return 1 - (1 - trueP) * 0.4;
  if (policy.style === 'underconfident') return trueP * 0.5;
  return trueP;
}

/** Whether the mock agent applies the known fix to this task (a Bernoulli draw at the true p). */
export function solvesTask(policy: MockPolicy, modelId: string, statement: string): boolean {
  return solvingTry(policy, modelId, statement) !== undefined;
}

/** Tries the mock agent makes at most: each is an edit and a check (two steps). */
export const MOCK_TRIES = 3;

/**
 * The try (1 to `MOCK_TRIES`) on which the mock agent applies the known fix, undefined when it
 * never does: with u the task's solve draw and p the true probability, the fix comes on try
 * ⌈u/p · MOCK_TRIES⌉ when u < p. So P(fixed by try k) = p·k/MOCK_TRIES: an agent cut short
 * solves less often, and with every try it solves with probability p.
 */
export function solvingTry(policy: MockPolicy, modelId: string, statement: string): number | undefined {
  const u = uniformFrom('solve', policy.seed, modelId, statement.trim());
  const p = trueSuccessProbability(policy, statement);
  if (!(u < p)) return undefined;
  return Math.min(MOCK_TRIES, Math.max(1, Math.ceil((u / p) * MOCK_TRIES)));
}

/**
 * Tries the mock agent completes within a step cap: its script reads for two steps, then makes
 * try k's edit at step 2k + 1 (1-based), so the edit is in the diff when the cap allows that step.
 */
export function triesWithinSteps(maxSteps: number): number {
  return Math.max(0, Math.min(MOCK_TRIES, Math.floor((maxSteps - 1) / 2)));
}

/** The mock worker's true probability of solving the task within a step cap: p · tries reachable / `MOCK_TRIES`. */
export function successWithinSteps(policy: MockPolicy, statement: string, maxSteps: number): number {
  return (trueSuccessProbability(policy, statement) * triesWithinSteps(maxSteps)) / MOCK_TRIES;
}
