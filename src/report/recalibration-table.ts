import type { RecalibrationComparison } from '../runtime/training/index.js';
import { markdownTable } from './markdown-table.js';

/** `analyze --db`'s table of raw against recalibrated calibration, one row per worker. */
export function recalibrationText(rows: readonly RecalibrationComparison[]): string {
  return [
    '',
    'Recalibrated at elicitation (`--recalibrate`): raw and recalibrated p on the same labelled forecasts',
    '',
    markdownTable({
      columns: ['worker', 'n', 'Brier raw', 'Brier recalibrated', 'ECE raw', 'ECE recalibrated'],
      numeric: [1, 2, 3, 4, 5],
      rows: rows.map((r) => [r.workerId, String(r.n), r.brierRaw.toFixed(4), r.brierRecalibrated.toFixed(4), r.eceRaw.toFixed(4), r.eceRecalibrated.toFixed(4)]),
    }),
    '',
  ].join('\n');
}
