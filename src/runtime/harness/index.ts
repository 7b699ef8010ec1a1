export * from './budget.js';
export * from './demo.js';
export * from './demo-observer.js';
export * from './demo-summary.js';
export * from './job-runner.js';
export * from './markdown-table.js';
export * from './observer.js';
export * from './simulate-run.js';
