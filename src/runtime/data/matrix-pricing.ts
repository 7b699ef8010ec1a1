import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/index.js';
import { parsePricingCsv } from './phase1.js';

/** Price used when a worker's pricing is unknown: $1 per million tokens, so tokens = micro-dollars. */
export const NOMINAL_BLENDED_PRICE = 1e-6;

/**
 * Reads blended USD prices per token per worker from a pricing file: JSON `{ worker: price }`
 * or `{ worker: { inputPerToken, outputPerToken } }`, or the paper's pricing CSV (model_ref,
 * blended_price_per_token or input_per_1k + output_per_1k). Blended = mean of input and output
 * per-token prices (DESIGN.md §5).
 */
export function readBlendedPrices(file: string): Record<string, number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read pricing file: ${(error as Error).message}`, { file });
  }
  if (!text.trimStart().startsWith('{')) return Object.fromEntries(parsePricingCsv({ text, file }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`not JSON: ${(error as Error).message}`, { file });
  }
  const prices: Record<string, number> = {};
  for (const [workerId, entry] of Object.entries(json as Record<string, unknown>)) {
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined;
    const price =
      typeof entry === 'number'
        ? entry
        : record
          ? (Number(record.inputPerToken) + Number(record.outputPerToken)) / 2
          : Number.NaN;
    if (!(price >= 0)) {
      throw new InvalidInputError('expected a price per token or { inputPerToken, outputPerToken }', {
        file,
        field: workerId,
      });
    }
    prices[workerId] = price;
  }
  return prices;
}
