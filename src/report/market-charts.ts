import type { TopLevelSpec } from 'vega-lite';
import { COST_AXIS_FORMAT, costScaleConstant, costTicks } from './cost-axis.js';
import { placeFrontierLabels } from './frontier-labels.js';
import { WORKER_PALETTE } from './palette.js';
import type { ChartSpec } from './render-chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Auction profit of one worker. */
export interface AuctionProfitPoint {
  /** Worker id. */
  worker: string;
  /** Realized profit per row (the paper's definition). */
  realized: number;
  /** Oracle profit per row. */
  oracle: number;
}

/** Realized versus oracle reserve-auction profit per worker. */
export function auctionProfitChart(points: AuctionProfitPoint[]): ChartSpec {
  const values = points.flatMap((point) => [
    { worker: point.worker, kind: 'realized', profit: point.realized },
    { worker: point.worker, kind: 'oracle', profit: point.oracle },
  ]);
  const spec = {
    $schema: SCHEMA,
    data: { values },
    width: 420,
    height: { step: 16 },
    mark: 'bar',
    encoding: {
      y: { field: 'worker', type: 'nominal', title: null },
      yOffset: { field: 'kind' },
      x: { field: 'profit', type: 'quantitative', title: 'mean profit per task (USD)' },
      color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['realized', 'oracle'], range: ['#4c78a8', '#bab0ac'] } },
    },
  } as unknown as TopLevelSpec;
  return {
    name: 'auction-profit',
    title: 'Reserve-price auction: realized versus oracle profit',
    caption: 'Mean profit per task when each worker bids its breakeven price from its own forecasts (blue) and when it knows its outcome in advance (grey); the gap is what poor self-knowledge costs.',
    spec,
  };
}

/** A worker's share of wins under one mechanism. */
export interface WinSharePoint {
  /** Mechanism or auction name. */
  mechanism: string;
  /** Worker id. */
  worker: string;
  /** Share of allocations won, in [0, 1]. */
  share: number;
}

/** Stacked win shares per mechanism. */
export function winShareChart(points: WinSharePoint[]): ChartSpec {
  const spec = {
    $schema: SCHEMA,
    data: { values: points.filter((point) => point.share > 0) },
    width: 420,
    height: { step: 22 },
    mark: 'bar',
    encoding: {
      y: { field: 'mechanism', type: 'nominal', title: null },
      x: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of allocations', axis: { format: '%' } },
      color: {
        field: 'worker',
        type: 'nominal',
        title: 'worker',
        scale: { range: [...WORKER_PALETTE] },
        // Full names (no ellipsis); two columns when the roster is long.
        legend: { labelLimit: 0, columns: new Set(points.map((point) => point.worker)).size > 14 ? 2 : 1 },
      },
      tooltip: [{ field: 'mechanism' }, { field: 'worker' }, { field: 'share', format: '.1%' }],
    },
  } as unknown as TopLevelSpec;
  return {
    name: 'win-share',
    title: 'Who wins the work',
    caption: 'For each mechanism, the share of its allocations that went to each worker.',
    spec,
  };
}

/** One allocator on the cost–solve plane. */
export interface FrontierPoint {
  /** Mechanism name. */
  name: string;
  /** Actual cost in USD (what the work cost; payments are transfers, never an axis). */
  actualCostUsd: number;
  /** Tasks solved. */
  solved: number;
  /** `oracle`, `solo` or `mechanism`. */
  kind: 'oracle' | 'solo' | 'mechanism';
  /** True when no other point solves at least as many for no more money. */
  onFrontier: boolean;
}

/** The cost–solve frontier with the oracle and solo workers marked. */
export function frontierChart(points: FrontierPoint[]): ChartSpec {
  const frontier = points.filter((point) => point.onFrontier).sort((a, b) => a.actualCostUsd - b.actualCostUsd);
  const maxSpend = Math.max(0, ...points.map((point) => point.actualCostUsd));
  const solvedValues = points.map((point) => point.solved);
  const low = Math.min(...solvedValues, 0);
  const high = Math.max(...solvedValues, 1);
  const pad = Math.max(1, (high - low) * 0.05);
  // Explicit domains (no "nice" rounding) so the label layout below matches the drawn scales.
  const constant = costScaleConstant(points.map((point) => point.actualCostUsd));
  const frame = { width: 480, height: 320, xMax: Math.max(maxSpend * 1.15, constant), yMin: Math.max(0, low - pad), yMax: high + pad, constant };
  const ticks = costTicks({ constant, xMax: frame.xMax, width: frame.width });
  const labels = placeFrontierLabels(
    points.map((point) => ({ name: point.name, actualCostUsd: point.actualCostUsd, solved: point.solved, priority: point.onFrontier || point.kind !== 'mechanism' })),
    frame,
  );
  const x = { field: 'actualCostUsd', type: 'quantitative', title: 'actual cost (USD, symmetric log scale)', scale: { type: 'symlog', constant, domain: [0, frame.xMax], nice: false }, axis: { values: ticks, format: COST_AXIS_FORMAT } };
  const y = { field: 'solved', type: 'quantitative', title: 'tasks solved', scale: { domain: [frame.yMin, frame.yMax], nice: false, zero: false } };
  const text = (align: 'left' | 'right') => ({
    data: { values: labels.filter((label) => label.align === align) },
    mark: { type: 'text', align, baseline: 'middle', fontSize: 10 },
    encoding: { x: { field: 'labelCost', type: 'quantitative' }, y: { field: 'labelSolved', type: 'quantitative' }, text: { field: 'name' } },
  });
  const spec = {
    $schema: SCHEMA,
    width: frame.width,
    height: frame.height,
    layer: [
      { data: { values: frontier }, mark: { type: 'line', interpolate: 'step-after', color: '#bbb', strokeWidth: 2 }, encoding: { x, y } },
      {
        data: { values: labels.filter((label) => label.leader) },
        mark: { type: 'rule', color: '#999', strokeWidth: 0.7 },
        encoding: { x: { field: 'actualCostUsd', type: 'quantitative' }, y: { field: 'solved', type: 'quantitative' }, x2: { field: 'labelCost' }, y2: { field: 'labelSolved' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'actualCostUsd', type: 'quantitative' },
          y: { field: 'solved', type: 'quantitative' },
          shape: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['mechanism', 'solo', 'oracle'], range: ['circle', 'square', 'diamond'] } },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['mechanism', 'solo', 'oracle'], range: ['#4c78a8', '#9d755d', '#e45756'] } },
          tooltip: [{ field: 'name' }, { field: 'solved' }, { field: 'actualCostUsd', format: '$.2f' }],
        },
      },
      text('left'),
      text('right'),
    ],
  } as unknown as TopLevelSpec;
  const unlabelled = points.length - labels.length;
  return {
    name: 'frontier',
    title: 'Cost–solve frontier',
    caption: `Each allocator by actual cost (what its work cost) and tasks solved; up and to the left is better. The grey step line joins the non-dominated allocators; the oracle (diamond) knew every outcome in advance. Labels that would overlap are moved above or below their point with a thin line to it${unlabelled > 0 ? `; ${unlabelled} that found no room are named in the table above` : ''}.`,
    spec,
  };
}

/** Change in one metric between two treatments for one worker. */
export interface TreatmentDeltaPoint {
  /** Worker id. */
  worker: string;
  /** Metric name, e.g. `brier`. */
  metric: string;
  /** Treatment B minus treatment A. */
  delta: number;
  /** 95% CI lower bound. */
  lo: number;
  /** 95% CI upper bound. */
  hi: number;
}

/** Treatment deltas (e.g. card minus direct) per worker and metric, with paired CIs. */
export function treatmentDeltaChart(points: TreatmentDeltaPoint[], label: string): ChartSpec {
  const spec = {
    $schema: SCHEMA,
    data: { values: points },
    facet: { field: 'metric', type: 'nominal', title: null },
    columns: 2,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 230,
      height: { step: 20 },
      layer: [
        { mark: { type: 'rule' }, encoding: { y: { field: 'worker', type: 'nominal', title: null }, x: { field: 'lo', type: 'quantitative', title: label }, x2: { field: 'hi' } } },
        { mark: { type: 'point', filled: true }, encoding: { y: { field: 'worker', type: 'nominal' }, x: { field: 'delta', type: 'quantitative' } } },
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#c00', strokeDash: [3, 3] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
      ],
    },
  } as unknown as TopLevelSpec;
  return {
    name: 'treatment-deltas',
    title: `Treatment effects (${label})`,
    caption: 'Per worker, the change in each metric between the two treatments on the same tasks, with a paired task-level bootstrap 95% interval; the red line is no change.',
    spec,
  };
}
