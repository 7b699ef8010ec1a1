import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite chart with a stable name (used for file names and anchors). */
export interface ChartSpec {
  /** Short kebab-case name, e.g. `reliability`. */
  name: string;
  /** Human title shown above the chart. */
  title: string;
  /** One sentence on how to read it. */
  caption: string;
  /** The Vega-Lite specification, data inlined. */
  spec: TopLevelSpec;
}

/** Compiles a Vega-Lite spec to Vega; throws with the chart's name when it does not compile. */
export function compileChart(chart: ChartSpec): vega.Spec {
  try {
    return compile(chart.spec).spec as vega.Spec;
  } catch (error) {
    throw new Error(`chart '${chart.name}' does not compile: ${(error as Error).message}`, { cause: error });
  }
}

/** Renders a chart to a standalone SVG string headlessly (no browser, no network). */
export async function renderSvg(chart: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileChart(chart)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders an SVG string to PNG bytes with resvg (system fonts, white background). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
