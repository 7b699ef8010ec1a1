import { InvalidInputError } from '../../core/errors.js';
import { PROVIDER_PREFIXES } from './provider-ref.js';

/** A provider prefix whose key is required and absent. */
export interface MissingProviderKey {
  /** The prefix, e.g. `openai`. */
  provider: string;
  /** The variables any one of which would hold its key. */
  variables: readonly string[];
}

/** Provider prefixes whose hosted API needs a key that `env` holds none of (unknown prefixes are an error). */
export function missingProviderKeys(providers: readonly string[], env: Record<string, string | undefined>): MissingProviderKey[] {
  const missing: MissingProviderKey[] = [];
  for (const provider of providers) {
    const spec = PROVIDER_PREFIXES[provider];
    if (!spec) throw new InvalidInputError(`unknown provider '${provider}'; known: ${Object.keys(PROVIDER_PREFIXES).join(', ')}`, { field: 'providers' });
    if (spec.keyRequired && !spec.keyVariables.some((name) => (env[name] ?? '') !== '')) missing.push({ provider, variables: spec.keyVariables });
  }
  return missing;
}

/** Hosted provider prefixes whose key `env` holds (what a worker serves when no list is given). */
export function providersWithKeys(env: Record<string, string | undefined>): string[] {
  return Object.entries(PROVIDER_PREFIXES)
    .filter(([, spec]) => spec.keyRequired && spec.keyVariables.some((name) => (env[name] ?? '') !== ''))
    .map(([prefix]) => prefix);
}
