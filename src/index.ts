/**
 * MarketBench as a library: the pure layers (domain types, metrics, mechanisms, economics,
 * reputation, simulation, replay, market rules) and the use cases the CLI calls (`app/`: market,
 * elicit, attempt, importOutcomes, runDemo, simulateRun, …). Each folder's index.ts lists its
 * public names; see the README for what each does.
 */
export * from './app/index.js';
export * from './core/index.js';
export * from './economics/index.js';
export * from './market/index.js';
export * from './mechanisms/index.js';
export * from './metrics/index.js';
export * from './replay/index.js';
export * from './reputation/index.js';
export * from './sim/index.js';
