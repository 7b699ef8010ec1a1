import { InvalidInputError } from '../core/index.js';
import type { ReserveTreatment } from '../economics/index.js';
import type { CalibrationMethod } from '../reputation/index.js';
import { cascade } from './cascade.js';
import { centralRouter } from './central-router.js';
import { cheapest } from './cheapest.js';
import { learnedCascade, pairCascade } from './learned-cascade.js';
import { learnedRouter } from './learned-router.js';
import { oracle } from './oracle.js';
import { parallelAll } from './parallel-all.js';
import { procurementAuction } from './procurement.js';
import { reputationPlans } from './reputation-plans.js';
import { reputationScoring } from './reputation-scoring.js';
import { reserveAuction } from './reserve-price.js';
import { scoringAuction } from './scoring-auction.js';
import { scoringPlans } from './scoring-plans.js';
import { solo } from './solo.js';
import { strongest } from './strongest.js';
import { textRouter } from './text-router.js';
import { thompsonRouter } from './thompson-router.js';
import type { Mechanism } from './types.js';

/** A parsed mechanism spec: the kind, a positional argument, and `key=value` options. */
export interface ParsedSpec {
  /** The mechanism kind, e.g. `solo`, `cascade`, `scoring`. */
  kind: string;
  /** The positional argument (a worker, an order, `learned`, `platt`...), if any. */
  argument: string | undefined;
  /** `key=value` options. */
  options: Record<string, string>;
}

/** What building a mechanism from a spec may use besides the spec. */
export interface SpecContext {
  /** The matrix's workers. */
  workerIds: string[];
  /** The full spec string, for messages. */
  spec: string;
  /** Recorded central-router choices per task (round order), for `central`. */
  routerChoices?: Record<string, string[]> | undefined;
}

/** One registered mechanism kind: its spec syntax and how to build it. */
export interface MechanismEntry {
  /** The kind, the part of a spec before the first `:`. */
  kind: string;
  /** Spec syntax, e.g. `solo:<worker>`. */
  syntax: string;
  /** One line on what it does. */
  description: string;
  /** Builds the mechanism from a parsed spec; throws `InvalidInputError` on a bad spec. */
  build: (spec: ParsedSpec, context: SpecContext) => Mechanism;
}

/** Every registered mechanism kind, in the order `mechanismNames()` lists them. */
const entries: MechanismEntry[] = [
{
  kind: 'solo',
  syntax: 'solo:<worker>',
  description: 'one worker on every task, reimbursed at cost',
  build: (spec, context) => solo(requireWorker(spec.argument, context)),
},
{
  kind: 'cheapest',
  syntax: 'cheapest',
  description: 'lowest expected cost in the bids each round (cheap-first by stated cost)',
  build: () => cheapest(),
},
{
  kind: 'strongest',
  syntax: 'strongest',
  description: 'highest historical pass rate (cross-fitted) each round',
  build: () => strongest(),
},
{
  kind: 'parallel-all',
  syntax: 'parallel-all',
  description: 'every worker attempts at once; solved if any; pays every cost',
  build: () => parallelAll(),
},
{
  kind: 'cascade',
  syntax: 'cascade:<w1>><w2>>... | cascade:pair | cascade:learned[:groupBy=repo][:shrink=<nested CV>][:beam=25]',
  description: 'fixed order; the best global order of ≤ maxAttempts workers on the training folds (pair); or an order per repository (learned), all cross-fitted, maximizing V·solved − cost',
  build: (spec, context) => {
    if (spec.argument === 'pair') return pairCascade();
    if (spec.argument === 'learned') {
      return learnedCascade({
        ...(spec.options.groupBy === undefined ? {} : { groupBy: spec.options.groupBy }),
        ...optionalNumber(spec, 'shrink', context.spec),
        ...optionalNumber(spec, 'beam', context.spec),
      });
    }
    const order = (spec.argument ?? '').split('>').map((workerId) => requireWorker(workerId, context));
    return cascade(order);
  },
},
{
  kind: 'reserve',
  syntax: 'reserve[:<worker>][:F=2][:R=1][:treatment=pay-reserve|hidden-first-price|known-first-price]',
  description: "the paper's Phase I reserve-price auction; several bidders, or one with reserve:<worker>",
  build: (spec, context) => {
    const treatment = spec.options.treatment;
    if (treatment !== undefined && !['pay-reserve', 'hidden-first-price', 'known-first-price'].includes(treatment)) {
      throw new InvalidInputError(`unknown treatment '${treatment}' in '${context.spec}'`, { field: 'mechanisms' });
    }
    return reserveAuction({
      ...(spec.argument === undefined ? {} : { workers: [requireWorker(spec.argument, context)] }),
      ...(spec.options.F === undefined ? {} : { penalty: numberOption(spec, 'F', 2, context.spec) }),
      ...(spec.options.R === undefined ? {} : { maxReserve: numberOption(spec, 'R', 1, context.spec) }),
      ...(treatment === undefined ? {} : { treatment: treatment as ReserveTreatment }),
    });
  },
},
{
  kind: 'first-price',
  syntax: 'first-price[:reserve=<usd>]',
  description: 'lowest ask wins and is paid its ask',
  build: (spec, context) => procurementAuction('first-price', optionalNumber(spec, 'reserve', context.spec)),
},
{
  kind: 'second-price',
  syntax: 'second-price[:reserve=<usd>]',
  description: 'lowest ask wins and is paid the second-lowest ask (capped at the reserve)',
  build: (spec, context) => procurementAuction('second-price', optionalNumber(spec, 'reserve', context.spec)),
},
{
  kind: 'scoring',
  syntax: 'scoring[:plans][:bounty=<V>][:penaltyRate=0.1][:forceBids=true]',
  description: "the paper's scoring auction: p·B − a − e − (1−p)·φ, highest positive score wins; :plans scores every (worker, plan) pair of menu bids",
  build: (spec, context) => {
    if (spec.argument === 'plans') return scoringPlans(scoringOptions(spec, context.spec));
    if (spec.argument !== undefined) {
      throw new InvalidInputError(`unknown scoring variant '${spec.argument}' in '${context.spec}'; use scoring or scoring:plans`, { field: 'mechanisms' });
    }
    return scoringAuction(scoringOptions(spec, context.spec));
  },
},
{
  kind: 'reputation',
  syntax: 'reputation[:plans][:isotonic|platt][:bounty=<V>][:penaltyRate=0.1][:forceBids=true]',
  description: 'scoring auction on calibrated p (per-worker map, cross-fitted) and token-ratio-scaled cost; :plans calibrates per budget level over (worker, plan) pairs',
  build: (spec, context) => {
    const plans = spec.argument === 'plans' || spec.argument?.startsWith('plans:') === true;
    const argument = plans ? spec.argument?.slice('plans'.length + 1) || undefined : spec.argument;
    const method = argument ?? 'isotonic';
    if (method !== 'isotonic' && method !== 'platt') {
      throw new InvalidInputError(`unknown calibration '${method}' in '${context.spec}'; use isotonic or platt`, {
        field: 'mechanisms',
      });
    }
    const calibration: CalibrationMethod = method;
    const options = { ...scoringOptions(spec, context.spec), ...(argument ? { method: calibration } : {}) };
    return plans ? reputationPlans(options) : reputationScoring(options);
  },
},
{
  kind: 'router',
  syntax: 'router:learned[:ridge=<nested CV>][:shrink=10][:lookahead=true] | router:text[:k=<nested CV>][:pool=5000] | router:thompson',
  description: 'logistic P(success | task features, worker), or k-NN on TF-IDF of the statement (text), cross-fitted; max expected V·p − cost',
  build: (spec, context) => {
    if (spec.argument === 'text') return textRouter({ ...optionalNumber(spec, 'k', context.spec), ...optionalNumber(spec, 'pool', context.spec) });
    if (spec.argument === 'thompson') return thompsonRouter();
    if (spec.argument !== 'learned') {
      throw new InvalidInputError(`unknown router '${spec.argument ?? ''}' in '${context.spec}'; use router:learned, router:text or router:thompson`, {
        field: 'mechanisms',
      });
    }
    const lookahead = spec.options.lookahead;
    return learnedRouter({
      ...optionalNumber(spec, 'ridge', context.spec),
      ...optionalNumber(spec, 'shrink', context.spec),
      ...(lookahead === undefined ? {} : { lookahead: lookahead !== 'false' }),
    });
  },
},
{
  kind: 'central',
  syntax: 'central',
  description: 'a central router: replays recorded choices (store allocations or --router-choices)',
  build: (_spec, context) => {
    if (!context.routerChoices) {
      throw new InvalidInputError(
        "mechanism 'central' needs recorded router choices (a store run with central-router allocations, or --router-choices FILE)",
        { field: 'mechanisms' },
      );
    }
    return centralRouter({ choices: context.routerChoices });
  },
},
{
  kind: 'oracle',
  syntax: 'oracle',
  description: 'cheapest worker that succeeds (knows outcomes), abstain if none',
  build: () => oracle(),
},
];

/** Registered mechanism kinds with their parameter syntax, in registration order. */
export function mechanismNames(): { kind: string; syntax: string; description: string }[] {
  return entries.map(({ kind, syntax, description }) => ({ kind, syntax, description }));
}

/**
 * Splits a spec `kind[:argument][:key=value]...`. When the whole remainder after `kind:` names a
 * known worker (worker ids may contain `:`), it is the argument as is.
 */
export function parseSpec(spec: string, workerIds: string[]): ParsedSpec {
  const colon = spec.indexOf(':');
  if (colon < 0) return { kind: spec.trim(), argument: undefined, options: {} };
  const kind = spec.slice(0, colon).trim();
  const rest = spec.slice(colon + 1);
  if (workerIds.includes(rest) || rest.split('>').every((part) => workerIds.includes(part))) {
    return { kind, argument: rest, options: {} };
  }
  let argument: string | undefined;
  const options: Record<string, string> = {};
  for (const part of rest.split(':')) {
    const equals = part.indexOf('=');
    if (equals > 0) options[part.slice(0, equals)] = part.slice(equals + 1);
    else if (argument === undefined) argument = part;
    else argument = `${argument}:${part}`;
  }
  return { kind, argument, options };
}

/** Builds a mechanism from its spec string; unknown kinds or workers get a message naming them. */
export function mechanismFromSpec(
  spec: string,
  workerIds: string[],
  routerChoices?: Record<string, string[]>,
): Mechanism {
  const parsed = parseSpec(spec, workerIds);
  const entry = entries.find((candidate) => candidate.kind === parsed.kind);
  if (!entry) {
    throw new InvalidInputError(
      `unknown mechanism '${parsed.kind}' in '${spec}'; known: ${entries.map((e) => e.syntax).join(', ')}`,
      { field: 'mechanisms' },
    );
  }
  return entry.build(parsed, { workerIds, spec, routerChoices });
}

/** Throws an `InvalidInputError` naming `workerId` and the spec unless it is on the roster. */
export function requireWorker(workerId: string | undefined, context: SpecContext): string {
  if (workerId === undefined || workerId === '') {
    const [kind] = context.spec.split(':');
    throw new InvalidInputError(`mechanism '${context.spec}' needs a worker: ${kind}:ID, with ID one of ${context.workerIds.join(', ')}`, { field: 'mechanisms' });
  }
  if (!context.workerIds.includes(workerId)) {
    throw new InvalidInputError(
      `unknown worker '${workerId}' in mechanism '${context.spec}'; workers in the matrix: ${context.workerIds.join(', ')}`,
      { field: 'mechanisms' },
    );
  }
  return workerId;
}

/** Reads a numeric `key=value` option, or the default; names the spec when it is not a number. */
export function numberOption(spec: ParsedSpec, key: string, fallback: number, source: string): number {
  const text = spec.options[key];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(`option '${key}=${text}' of mechanism '${source}' is not a number`, {
      field: 'mechanisms',
    });
  }
  return value;
}


/**
 * Specs replayed when none are given (besides the two reference `solo` rows the replay adds):
 * every kind with its default parameters, except `solo` and fixed-order `cascade`, which need
 * workers, and `central`, which needs recorded choices or a policy.
 */
export const DEFAULT_MECHANISM_KINDS: string[] = [
  'cheapest',
  'strongest',
  'parallel-all',
  'cascade:pair',
  'cascade:learned',
  'reserve',
  'first-price',
  'second-price',
  'scoring',
  'reputation',
  'reputation:platt',
  'router:learned',
  'router:text',
  'oracle',
];

/** `{ [key]: number }` when the option is given, else `{}` (so defaults stay implicit in names). */
function optionalNumber(spec: ParsedSpec, key: string, source: string): Record<string, number> {
  return spec.options[key] === undefined ? {} : { [key]: numberOption(spec, key, 0, source) };
}

/** Scoring-auction options from a spec. */
function scoringOptions(
  spec: ParsedSpec,
  source: string,
): { bounty?: number; penaltyRate?: number; forceBids?: boolean } {
  const forceBids = spec.options.forceBids;
  if (forceBids !== undefined && forceBids !== 'true' && forceBids !== 'false') {
    throw new InvalidInputError(`option 'forceBids=${forceBids}' of '${source}' must be true or false`, {
      field: 'mechanisms',
    });
  }
  return {
    ...optionalNumber(spec, 'bounty', source),
    ...optionalNumber(spec, 'penaltyRate', source),
    ...(forceBids === undefined ? {} : { forceBids: forceBids === 'true' }),
  };
}
