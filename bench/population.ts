import { paperPreset, type PopulationSpec } from '../src/sim/index.js';

/** The paper population widened to `workers` workers (copies of the six, ids suffixed, each copy 0.1 less able). */
export function population(workers: number): PopulationSpec {
  const base = paperPreset.workers;
  if (workers <= base.length) return { ...paperPreset, workers: base.slice(0, workers) };
  return {
    ...paperPreset,
    workers: Array.from({ length: workers }, (_, i) => {
      const worker = base[i % base.length] as (typeof base)[number];
      const copy = Math.floor(i / base.length);
      return copy === 0 ? worker : { ...worker, id: `${worker.id}-${copy}`, ability: worker.ability - 0.1 * copy };
    }),
  };
}
