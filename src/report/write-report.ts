import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BuiltReport, buildReport, type ReportInput } from './build-report.js';
import { svgToPng } from './render-chart.js';

/** Files a report wrote. */
export interface WrittenReport extends BuiltReport {
  /** The HTML file. */
  htmlFile: string;
  /** PNG files, one per chart, when a PNG folder was given. */
  pngFiles: string[];
}

/** Builds a report and writes it to `outFile`, and every chart as `<pngDir>/<name>.png` when asked. */
export async function writeReport(options: { input: ReportInput; outFile: string; pngDir?: string }): Promise<WrittenReport> {
  const built = await buildReport(options.input);
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, built.html);
  const pngFiles: string[] = [];
  if (options.pngDir !== undefined) {
    mkdirSync(options.pngDir, { recursive: true });
    for (const { chart, svg } of built.charts) {
      const file = join(options.pngDir, `${chart.name}.png`);
      writeFileSync(file, svgToPng(svg));
      pngFiles.push(file);
    }
  }
  return { ...built, htmlFile: options.outFile, pngFiles };
}
