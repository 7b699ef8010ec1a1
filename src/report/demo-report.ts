import { join } from 'node:path';
import { Random } from '../core/index.js';
import { analyzeRows } from '../metrics/analyze.js';
import type { ReplayReport } from '../replay/index.js';
import { Store } from '../runtime/store/index.js';
import type { ReportInput } from './build-report.js';
import { type WrittenReport, writeReport } from './write-report.js';

/**
 * Writes `report.html` beside the demo's summary: the Phase I analysis of the simulated
 * forecasts (read back from the store) and the demo's own replay, without replaying again.
 */
export async function writeDemoReport(options: {
  /** What the demo produced (its folder, store, runs and replay). */
  result: { outDir: string; dbPath: string; simulateRunId: string; replayRunId: string; report: ReplayReport };
  seed: number;
  meta: Pick<ReportInput, 'versions' | 'generatedAt'>;
  pngDir?: string;
}): Promise<WrittenReport> {
  const { result } = options;
  const store = Store.open(result.dbPath);
  let rows: ReturnType<Store['labeledForecasts']>;
  try {
    rows = store.labeledForecasts({ runId: result.simulateRunId });
  } finally {
    store.close();
  }
  const analysis = analyzeRows(rows, { random: new Random(options.seed), resamples: 1000 });
  const input: ReportInput = {
    title: 'MarketBench demo report',
    sources: [`simulated paper population: ${result.dbPath}, run ${result.simulateRunId} (replay run ${result.replayRunId})`],
    analysis,
    rows,
    replay: result.report,
    simulatedRuns: [result.simulateRunId],
    ...options.meta,
  };
  return writeReport({
    input,
    outFile: join(result.outDir, 'report.html'),
    ...(options.pngDir === undefined ? {} : { pngDir: options.pngDir }),
  });
}
