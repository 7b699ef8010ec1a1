/** The reports a strategic worker may choose from: shifts of p crossed with scalings of the ask. */
export interface ShadingGrid {
  /** Additive shifts of the stated p (report = clamp(true p + shift)). */
  pShifts: number[];
  /** Relative shadings of the ask (report = honest ask · (1 + shading)). */
  askShadings: number[];
}

/** One action of the grid. */
export interface ShadingAction {
  /** Shift of p. */
  pShift: number;
  /** Relative shading of the ask. */
  askShading: number;
}

/** Default grid: p shifted by up to ±0.2, the ask scaled by 0.5–1.5. */
export const DEFAULT_SHADING_GRID: ShadingGrid = {
  pShifts: [-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2],
  askShadings: [-0.5, -0.25, 0, 0.25, 0.5],
};

/** Reported probabilities are kept within [0.01, 0.99], as calibration maps keep theirs. */
export const REPORT_FLOOR = 0.01;

/** Every (p shift, ask shading) pair, p shifts varying slowest. */
export function gridActions(grid: ShadingGrid): ShadingAction[] {
  return grid.pShifts.flatMap((pShift) => grid.askShadings.map((askShading) => ({ pShift, askShading })));
}

/** Index of the honest action (no shift, no shading); throws when the grid lacks it. */
export function honestActionIndex(actions: readonly ShadingAction[]): number {
  const index = actions.findIndex((action) => action.pShift === 0 && action.askShading === 0);
  if (index < 0) throw new RangeError('a shading grid must contain the honest report (p shift 0, ask shading 0)');
  return index;
}

/** The reported p for a true p under a shift. */
export function reportedP(truth: number, pShift: number): number {
  return Math.min(1 - REPORT_FLOOR, Math.max(REPORT_FLOOR, truth + pShift));
}
