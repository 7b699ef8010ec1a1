import { InvalidInputError } from '../core/index.js';
import { cascade } from './cascade.js';
import { cheapest } from './cheapest.js';
import { oracle } from './oracle.js';
import { parallelAll } from './parallel-all.js';
import { solo } from './solo.js';
import { strongest } from './strongest.js';
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

/** One registered mechanism kind: its spec syntax and how to build it. */
export interface MechanismEntry {
  /** The kind, the part of a spec before the first `:`. */
  kind: string;
  /** Spec syntax, e.g. `solo:<worker>`. */
  syntax: string;
  /** One line on what it does. */
  description: string;
  /** Builds the mechanism from a parsed spec; throws `InvalidInputError` on a bad spec. */
  build: (spec: ParsedSpec, context: { workerIds: string[]; spec: string }) => Mechanism;
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
  syntax: 'cascade:<w1>><w2>>...',
  description: 'fixed order, next worker on failure',
  build: (spec, context) => {
    const order = (spec.argument ?? '').split('>').map((workerId) => requireWorker(workerId, context));
    return cascade(order);
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
export function mechanismFromSpec(spec: string, workerIds: string[]): Mechanism {
  const parsed = parseSpec(spec, workerIds);
  const entry = entries.find((candidate) => candidate.kind === parsed.kind);
  if (!entry) {
    throw new InvalidInputError(
      `unknown mechanism '${parsed.kind}' in '${spec}'; known: ${entries.map((e) => e.syntax).join(', ')}`,
      { field: 'mechanisms' },
    );
  }
  return entry.build(parsed, { workerIds, spec });
}

/** Throws an `InvalidInputError` naming `workerId` and the spec unless it is on the roster. */
export function requireWorker(workerId: string | undefined, context: { workerIds: string[]; spec: string }): string {
  if (workerId === undefined || workerId === '') {
    throw new InvalidInputError(`mechanism '${context.spec}' needs a worker`, { field: 'mechanisms' });
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
export const DEFAULT_MECHANISM_KINDS: string[] = ['cheapest', 'strongest', 'parallel-all', 'oracle'];
