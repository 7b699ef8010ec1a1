/**
 * MarketBench as a library: the pure layers (domain types, metrics, mechanisms, economics,
 * reputation, simulation, replay) and the runtime entry points the CLI calls. Each folder's
 * index.ts lists its public names; see the README for what each does.
 */
export * from './core/index.js';
export * from './economics/index.js';
export * from './mechanisms/index.js';
export * from './metrics/index.js';
export * from './replay/index.js';
export * from './reputation/index.js';
export * from './sim/index.js';
