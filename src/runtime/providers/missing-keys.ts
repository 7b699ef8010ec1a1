import { InvalidInputError } from '../../core/errors.js';
import { parseProviderRef } from './provider-ref.js';

/**
 * Checks, before anything is written, that every hosted provider among `models` has a key in
 * `env`; throws one `InvalidInputError` naming every missing variable and the models that need it
 * (never a key's value). Unknown references fail here too, with the accepted prefixes.
 */
export function assertKeys(models: readonly string[], env: Record<string, string | undefined>): void {
  const missing = new Map<string, string[]>();
  for (const model of new Set(models)) {
    const { spec } = parseProviderRef(model);
    if (!spec.keyRequired) continue;
    if (spec.keyVariables.some((name) => (env[name] ?? '').trim() !== '')) continue;
    const variable = spec.keyVariables.join(' or ');
    missing.set(variable, [...(missing.get(variable) ?? []), model]);
  }
  if (missing.size === 0) return;
  const parts = [...missing].map(([variable, refs]) => `${variable} (for ${refs.join(', ')})`);
  throw new InvalidInputError(`missing API ${missing.size === 1 ? 'key' : 'keys'}: set ${parts.join('; ')} in the environment or in .env; nothing was written`, {
    field: 'model',
  });
}
