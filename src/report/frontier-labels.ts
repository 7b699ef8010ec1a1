import { symexpOf, symlogOf } from './cost-axis.js';
/** A point to label on the cost–solve plane. */
export interface LabelInput {
  /** Label text. */
  name: string;
  /** x in data units (USD). */
  actualCostUsd: number;
  /** y in data units (tasks solved). */
  solved: number;
  /** Placed first when true (frontier, solo workers, oracle). */
  priority: boolean;
}

/** A placed label, in data units, with the side it hangs from. */
export interface PlacedLabel {
  /** Label text. */
  name: string;
  /** The point's x and y. */
  actualCostUsd: number;
  solved: number;
  /** Where the text is anchored, in data units. */
  labelCost: number;
  labelSolved: number;
  /** `left`: text starts at the anchor (right of the point); `right`: text ends there. */
  align: 'left' | 'right';
  /** True when the label sits away from its point (a leader line is drawn). */
  leader: boolean;
}

/** The plot's geometry in pixels and its scale domains (symlog x, linear y). */
export interface PlotFrame {
  width: number;
  height: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** The x scale's symlog constant (default 1). */
  constant?: number;
}

const CHAR_PX = 5.6;
const LINE_PX = 12;


/** A label's pixel box: [left, top, right, bottom]. */
type Box = [number, number, number, number];

function overlaps(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * Places one label per point without overlaps: beside the point when there is room, else
 * stacked above or below it (with a leader line), trying both sides; a label that fits nowhere
 * inside the plot is left out (its point stays in the tooltip and the table). Priority points
 * are placed first, then the rest from left to right. Deterministic: same points, same layout.
 */
export function placeFrontierLabels(points: readonly LabelInput[], frame: PlotFrame): PlacedLabel[] {
  const constant = frame.constant ?? 1;
  const symlog = (x: number) => symlogOf(x, constant);
  const symexp = (t: number) => symexpOf(t, constant);
  const px = (x: number) => (frame.width * symlog(x)) / symlog(Math.max(frame.xMax, 1e-9));
  const py = (y: number) => frame.height * (1 - (y - frame.yMin) / Math.max(frame.yMax - frame.yMin, 1e-9));
  const fromPx = (x: number) => symexp((x / frame.width) * symlog(Math.max(frame.xMax, 1e-9)));
  const fromPy = (y: number) => frame.yMin + (1 - y / frame.height) * (frame.yMax - frame.yMin);
  const taken: Box[] = points.map((point) => {
    const x = px(point.actualCostUsd);
    const y = py(point.solved);
    return [x - 5, y - 5, x + 5, y + 5];
  });
  const order = [...points].sort((a, b) => Number(b.priority) - Number(a.priority) || a.actualCostUsd - b.actualCostUsd || a.name.localeCompare(b.name));
  const placed: PlacedLabel[] = [];
  for (const point of order) {
    const x = px(point.actualCostUsd);
    const y = py(point.solved);
    const width = point.name.length * CHAR_PX;
    let chosen: { box: Box; align: 'left' | 'right'; step: number } | undefined;
    for (const step of [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6]) {
      for (const align of ['left', 'right'] as const) {
        const top = y - LINE_PX / 2 - 4 + step * LINE_PX;
        const left = align === 'left' ? x + 7 : x - 7 - width;
        const box: Box = [left, top, left + width, top + LINE_PX];
        if (box[0] < 0 || box[2] > frame.width || box[1] < -4 || box[3] > frame.height + 4) continue;
        if (taken.some((other) => overlaps(box, other))) continue;
        chosen = { box, align, step };
        break;
      }
      if (chosen) break;
    }
    if (!chosen) continue;
    taken.push(chosen.box);
    const anchorX = chosen.align === 'left' ? chosen.box[0] : chosen.box[2];
    placed.push({
      name: point.name,
      actualCostUsd: point.actualCostUsd,
      solved: point.solved,
      labelCost: fromPx(anchorX),
      labelSolved: fromPy(chosen.box[1] + LINE_PX / 2),
      align: chosen.align,
      leader: chosen.step !== 0,
    });
  }
  return placed;
}
