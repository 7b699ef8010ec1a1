export * from './counterfactual-profits.js';
export * from './hedge-learner.js';
export * from './shading-grid.js';
export * from './signal-spread.js';
export * from './stage-mechanisms.js';
export * from './strategic-game.js';
export * from './strategic-sweep.js';
export * from './strategic-world.js';
