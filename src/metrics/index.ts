export * from './auroc.js';
export * from './bootstrap.js';
export * from './calibration.js';
export * from './mcnemar.js';
export * from './quantile.js';
