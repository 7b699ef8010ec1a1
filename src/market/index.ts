export * from './arms.js';
export * from './bid-reply.js';
export * from './bid-scoring.js';
export * from './comparison.js';
export * from './settings.js';
export * from './unit-result.js';
export * from './plan-bids.js';
