export * from './calibration-map.js';
export * from './cross-fit.js';
export * from './isotonic.js';
export * from './platt.js';
export * from './token-scale.js';
export * from './calibration-map-file.js';
export * from './training-split.js';
export * from './training-targets.js';
