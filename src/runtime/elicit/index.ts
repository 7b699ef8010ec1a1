export * from './card-history.js';
export * from './elicit-executor.js';
export * from './elicit-plan.js';
export * from './forecast-prompt.js';
export * from './parse-forecast.js';
export * from './run-elicitation.js';
export * from './run-id.js';
export * from './self-knowledge-card.js';
