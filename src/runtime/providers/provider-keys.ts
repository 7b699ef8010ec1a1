import { InvalidInputError } from '../../core/errors.js';
import { PROVIDER_PREFIXES, parseProviderRef } from './provider-ref.js';

/** A provider prefix whose key is required and absent. */
export interface MissingProviderKey {
  /** The prefix, e.g. `openai`. */
  provider: string;
  /** The variables any one of which would hold its key. */
  variables: readonly string[];
}

/** Whether `env` holds a key in any of `variables` (blank values do not count). */
function holdsKey(variables: readonly string[], env: Record<string, string | undefined>): boolean {
  return variables.some((name) => (env[name] ?? '').trim() !== '');
}

/** Provider prefixes whose hosted API needs a key that `env` holds none of (unknown prefixes are an error). */
export function missingProviderKeys(providers: readonly string[], env: Record<string, string | undefined>): MissingProviderKey[] {
  const missing: MissingProviderKey[] = [];
  for (const provider of providers) {
    const spec = PROVIDER_PREFIXES[provider];
    if (!spec) throw new InvalidInputError(`unknown provider '${provider}'; known: ${Object.keys(PROVIDER_PREFIXES).join(', ')}`, { field: 'providers' });
    if (spec.keyRequired && !holdsKey(spec.keyVariables, env)) missing.push({ provider, variables: spec.keyVariables });
  }
  return missing;
}

/** Hosted provider prefixes whose key `env` holds (what a worker serves when no list is given). */
export function providersWithKeys(env: Record<string, string | undefined>): string[] {
  return Object.entries(PROVIDER_PREFIXES)
    .filter(([, spec]) => spec.keyRequired && holdsKey(spec.keyVariables, env))
    .map(([prefix]) => prefix);
}

/**
 * Checks, before anything is written, that every hosted provider among `models` has a key in
 * `env`; throws one `InvalidInputError` naming every missing variable and the models that need it
 * (never a key's value). Unknown references fail here too, with the accepted prefixes.
 */
export function assertKeys(models: readonly string[], env: Record<string, string | undefined>): void {
  const missing = new Map<string, string[]>();
  for (const model of new Set(models)) {
    const { prefix } = parseProviderRef(model);
    for (const { variables } of missingProviderKeys([prefix], env)) {
      const variable = variables.join(' or ');
      missing.set(variable, [...(missing.get(variable) ?? []), model]);
    }
  }
  if (missing.size === 0) return;
  const parts = [...missing].map(([variable, refs]) => `${variable} (for ${refs.join(', ')})`);
  throw new InvalidInputError(`missing API ${missing.size === 1 ? 'key' : 'keys'}: set ${parts.join('; ')} in the environment or in .env; nothing was written`, {
    field: 'model',
  });
}
