export * from './bid-formulas.js';
