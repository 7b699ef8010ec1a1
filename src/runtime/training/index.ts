export * from './recalibrate-worker.js';
export * from './request-messages.js';
export * from './training-export.js';
export * from './apply-recalibration.js';
