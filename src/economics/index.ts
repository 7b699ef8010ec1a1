export * from './bid-formulas.js';
export * from './multi-bidder.js';
export * from './oracle.js';
export * from './reserve-auction.js';
export * from './reserve-treatment.js';
