export * from './attempt.js';
export * from './demo-observer.js';
export * from './elicit.js';
export * from './import-outcomes.js';
export * from './load-report.js';
export * from './market.js';
export * from './run-demo.js';
export * from './simulate-run.js';
