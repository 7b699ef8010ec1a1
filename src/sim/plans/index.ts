export * from './plan-curve.js';
export * from './plan-population.js';
export * from './plan-replay.js';
export * from './plan-sweep.js';
export * from './plan-rows.js';
