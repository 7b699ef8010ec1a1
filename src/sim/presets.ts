import { InvalidInputError } from '../core/index.js';
import { paperPreset } from './paper-preset.js';
import type { PopulationSpec } from './population-spec.js';

/** Built-in populations by name. */
export const presets: Record<string, PopulationSpec> = { paper: paperPreset };

/** The named preset; throws `InvalidInputError` naming the known ones otherwise. */
export function getPreset(name: string): PopulationSpec {
  const preset = presets[name];
  if (!preset) {
    throw new InvalidInputError(`unknown preset '${name}'; known: ${Object.keys(presets).join(', ')}`, {
      field: 'preset',
    });
  }
  return preset;
}
