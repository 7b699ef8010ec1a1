import { InvalidInputError } from '../core/errors.js';
import { type Mechanism, mechanismFromSpec, parseSpec } from '../mechanisms/index.js';
import type { MarketSettings } from './settings.js';

/** Mechanism kinds that allocate on bids (the market collects bids when any arm uses one). */
export const BID_KINDS: ReadonlySet<string> = new Set(['scoring', 'reputation', 'reserve', 'cheapest', 'first-price', 'second-price']);

/** One arm of a market comparison: an allocation rule run on the same tasks under its own budget share. */
export interface MarketArm {
  /** The arm as given on the command line, e.g. `scoring`, `solo:gpt`, `router` (its name in tables). */
  label: string;
  /**
   * Mechanism name of its stored allocations: the label, except the router arm, stored as
   * `central` so that `marketbench replay --mechanisms central` replays its recorded choices.
   */
  storedName: string;
  /** The registry spec the arm is built from (`central` for the router). */
  spec: string;
  /** Registry kind (`scoring`, `solo`, `central`, …). */
  kind: string;
  /** True when the arm allocates on single-point bids. */
  usesBids: boolean;
  /** True when the arm allocates on menus of production plans (`scoring:plans`, `reputation:plans`); such an arm collects menus, not bids. */
  usesPlans?: boolean;
  /** True for the central LLM router arm. */
  router: boolean;
  /** Bids in USD instead of the market's currency (the reserve-price arm: its F and R are USD). */
  bidsInUsd: boolean;
  /** The (unfitted) mechanism; the router arm's is built per round from the router's choice. */
  mechanism: Mechanism | undefined;
}

/** Worker facts the arm parser needs. */
export interface ArmWorkerInfo {
  /** Worker id. */
  id: string;
  /** Blended USD price per token (for the default cheapest-first cascade order). */
  blendedPrice: number;
}

/** Runs a mechanism-registry step for an arm; its errors about `mechanisms` name the arms instead. */
function asArmError<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (InvalidInputError.isInstance(error) && error.field === 'mechanisms') throw new InvalidInputError(error.detail, { field: 'arms' }, { cause: error });
    throw error;
  }
}

/**
 * Parses `--arms` into arms. Accepted: `scoring`, `reputation[:platt]`, `reserve`, `router`
 * (alias `central`), `solo:<worker>`, `cascade` (cheapest-first by blended price) or
 * `cascade:<w1>><w2>`, `parallel` (alias `parallel-all`), and any other replay spec that needs
 * no outcomes (`cheapest`, `strongest`, `first-price`, …). The market's bounty, penalty rate and
 * `forceBids` are filled into scoring specs, and F and R into `reserve`, unless the spec gives them.
 */
export function parseArms(options: { specs: readonly string[]; workers: readonly ArmWorkerInfo[]; settings: MarketSettings }): MarketArm[] {
  const { specs, workers, settings } = options;
  const ids = workers.map((worker) => worker.id);
  if (specs.length === 0) throw new InvalidInputError('give at least one arm (--arms scoring,router,solo:<worker>)', { field: 'arms' });
  const arms = specs.map((given) => {
    const label = given.trim();
    const parsed = asArmError(() => parseSpec(label, ids));
    if (parsed.kind === 'router' && parsed.argument === undefined) return routerArm(label);
    if (parsed.kind === 'central') return routerArm(label);
    if (parsed.kind === 'oracle') throw new InvalidInputError("arm 'oracle' knows outcomes in advance; it cannot run live", { field: 'arms' });
    const spec = registrySpec(label, parsed, workers, settings);
    const mechanism = asArmError(() => mechanismFromSpec(spec, ids));
    const usesPlans = mechanism.parameters.plans === true;
    return {
      label,
      storedName: label,
      spec,
      kind: parsed.kind === 'parallel' ? 'parallel-all' : parsed.kind,
      usesBids: BID_KINDS.has(parsed.kind) && !usesPlans,
      ...(usesPlans && { usesPlans }),
      router: false,
      bidsInUsd: parsed.kind === 'reserve',
      mechanism,
    } satisfies MarketArm;
  });
  const seen = new Set<string>();
  for (const arm of arms) {
    if (seen.has(arm.storedName)) throw new InvalidInputError(`arm '${arm.label}' is listed twice`, { field: 'arms' });
    seen.add(arm.storedName);
  }
  return arms;
}

function routerArm(label: string): MarketArm {
  return { label: label === 'central' ? 'router' : label, storedName: 'central', spec: 'central', kind: 'central', usesBids: false, router: true, bidsInUsd: false, mechanism: undefined };
}

/** The registry spec of an arm, with the market's settings filled in. */
function registrySpec(
  label: string,
  parsed: ReturnType<typeof parseSpec>,
  workers: readonly ArmWorkerInfo[],
  settings: MarketSettings,
): string {
  const extra = (defaults: Record<string, string | number | boolean>) =>
    Object.entries(defaults)
      .filter(([key]) => parsed.options[key] === undefined)
      .map(([key, value]) => `:${key}=${value}`)
      .join('');
  switch (parsed.kind) {
    case 'parallel':
      return 'parallel-all';
    case 'cascade':
      if (parsed.argument !== undefined) return label;
      return `cascade:${[...workers].sort((a, b) => a.blendedPrice - b.blendedPrice).map((worker) => worker.id).join('>')}`;
    case 'scoring':
    case 'reputation':
      return `${label}${extra({ bounty: settings.bounty, penaltyRate: settings.penaltyRate, forceBids: settings.forceBids })}`;
    case 'reserve':
      return `${label}${extra({ F: settings.reservePenaltyUsd, R: settings.reserveMaxUsd })}`;
    default:
      return label;
  }
}
