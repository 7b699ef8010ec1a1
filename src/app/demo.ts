import type { ReportInput } from '../report/build-report.js';
import { DEMO_DEFAULTS, type DemoOptions, type DemoResult, runDemo } from './run-demo.js';

/** Options of `demo`: those of `runDemo`, plus what the HTML report states about its making. */
export interface DemoAppOptions extends DemoOptions {
  /** Software versions and generation time printed in `report.html`. */
  meta: Pick<ReportInput, 'versions' | 'generatedAt'>;
}

/** What `demo` returns: the demo's result and the HTML report written beside its summary. */
export interface DemoAppResult extends DemoResult {
  /** The `report.html` written. */
  reportPath: string;
}

/** The built-in demo (`runDemo`), then its `report.html` (analysis and replay, without replaying again). */
export async function demo(options: DemoAppOptions): Promise<DemoAppResult> {
  const { meta, ...rest } = options;
  const result = runDemo(rest);
  // Loaded on use: the chart renderer is the heaviest import.
  const { writeDemoReport } = await import('../report/demo-report.js');
  const written = await writeDemoReport({ result, seed: rest.seed ?? DEMO_DEFAULTS.seed, meta });
  return { ...result, reportPath: written.htmlFile };
}
