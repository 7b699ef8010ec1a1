import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/index.js';

/** Price used when a worker's pricing is unknown: $1 per million tokens, so tokens = micro-dollars. */
export const NOMINAL_BLENDED_PRICE = 1e-6;

/**
 * Reads blended USD prices per token per worker from a pricing file: JSON `{ worker: price }`
 * or `{ worker: { inputPerToken, outputPerToken } }`, or CSV with a worker column (`worker` or
 * `model_ref`) and either `blended_price_per_token` or `input_per_1k` + `output_per_1k`
 * (the paper's model_token_pricing.csv). Blended = mean of input and output per-token prices.
 */
export function readBlendedPrices(file: string): Record<string, number> {
  const text = readFileSync(file, 'utf8');
  const prices: Record<string, number> = {};
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InvalidInputError(`not JSON: ${(error as Error).message}`, { file });
    }
    for (const [workerId, entry] of Object.entries(json as Record<string, unknown>)) {
      const price =
        typeof entry === 'number'
          ? entry
          : typeof entry === 'object' && entry !== null
            ? ((Number((entry as Record<string, unknown>).inputPerToken) +
                Number((entry as Record<string, unknown>).outputPerToken)) /
              2)
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
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((column) => column.trim());
  const workerColumn = header.findIndex((column) => column === 'worker' || column === 'model_ref');
  const blended = header.indexOf('blended_price_per_token');
  const input = header.indexOf('input_per_1k');
  const output = header.indexOf('output_per_1k');
  if (workerColumn < 0 || (blended < 0 && (input < 0 || output < 0))) {
    throw new InvalidInputError(
      'pricing CSV needs a worker (or model_ref) column and blended_price_per_token or input_per_1k + output_per_1k',
      { file, line: 1 },
    );
  }
  lines.slice(1).forEach((line, index) => {
    const fields = line.split(',').map((field) => field.trim());
    const workerId = fields[workerColumn] ?? '';
    const price =
      blended >= 0 ? Number(fields[blended]) : (Number(fields[input]) / 1000 + Number(fields[output]) / 1000) / 2;
    if (workerId === '' || !(price >= 0)) {
      throw new InvalidInputError('expected a worker and a non-negative price', { file, line: index + 2 });
    }
    prices[workerId] = price;
  });
  return prices;
}
