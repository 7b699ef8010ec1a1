import { resolve } from 'node:path';
import type { ReportInput } from '../report/build-report.js';
import type { ReportSource } from '../report/load-report-input.js';
import type { WrittenReport } from '../report/write-report.js';

/** Options of `writeHtmlReport`: the data to report on, where to write, and what the report states about its making. */
export interface WriteHtmlReportOptions extends Omit<ReportSource, 'cwd'> {
  /** Folder that relative paths are read from and written to (default: the current folder). */
  cwd?: string;
  /** The HTML file to write. */
  outFile: string;
  /** Also write every chart as `<pngDir>/<chart>.png`. */
  pngDir?: string;
  /** Software versions and generation time printed in the report. */
  meta: Pick<ReportInput, 'versions' | 'generatedAt'>;
}

/** One self-contained HTML report (charts as inline SVG, optionally PNGs) from a store, forecasts file or matrix. */
export async function writeHtmlReport(options: WriteHtmlReportOptions): Promise<WrittenReport> {
  const { cwd: cwdOption, outFile, pngDir, meta, ...source } = options;
  const cwd = cwdOption ?? process.cwd();
  // Loaded on use: the chart renderer is the heaviest import.
  const { loadReportInput, writeReport } = await import('../report/index.js');
  const input = loadReportInput({ ...source, cwd }, meta);
  return writeReport({ input, outFile: resolve(cwd, outFile), ...(pngDir === undefined ? {} : { pngDir: resolve(cwd, pngDir) }) });
}
