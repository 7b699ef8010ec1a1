export * from './calibration-map.js';
export * from './cross-fit.js';
export * from './isotonic.js';
export * from './platt.js';
export * from './token-scale.js';
