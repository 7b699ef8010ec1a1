import { formatMoney, roundTo } from '../src/money.js';

export default {
  'rounds decimal half-cents up': () => [roundTo(1.005, 2), roundTo(2.675, 2), roundTo(1.255, 2)],
  'keeps exact values': () => [roundTo(1.5, 0), roundTo(0.1 + 0.2, 2), roundTo(12.34, 2)],
  'formats half-cents rounded up': () => formatMoney(1.005),
  'rounds to whole numbers': () => [roundTo(2.4, 0), roundTo(2.5, 0)],
  'formats dollars with two decimals': () => [formatMoney(3.5), formatMoney(0)],
};
