import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './render-chart.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One reliability bin of one worker. */
export interface ReliabilityPoint {
  /** Worker id. */
  worker: string;
  /** Mean stated p in the bin. */
  meanP: number;
  /** Observed pass rate in the bin. */
  passRate: number;
  /** Rows in the bin. */
  count: number;
}

/** Reliability diagram, one panel per worker: bins sized by count against the diagonal. */
export function reliabilityChart(points: ReliabilityPoint[]): ChartSpec {
  const workers = [...new Set(points.map((point) => point.worker))];
  const diagonal = workers.flatMap((worker) => [
    { worker, meanP: 0, passRate: 0 },
    { worker, meanP: 1, passRate: 1 },
  ]);
  const spec = {
    $schema: SCHEMA,
    data: { values: [...points.map((point) => ({ ...point, layer: 'bin' })), ...diagonal.map((d) => ({ ...d, layer: 'diagonal' }))] },
    facet: { field: 'worker', type: 'nominal', title: null },
    columns: Math.min(3, Math.max(1, workers.length)),
    spec: {
      width: 190,
      height: 190,
      layer: [
        {
          transform: [{ filter: "datum.layer === 'diagonal'" }],
          mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
          encoding: {
            x: { field: 'meanP', type: 'quantitative', scale: { domain: [0, 1] }, title: 'stated p (bin mean)' },
            y: { field: 'passRate', type: 'quantitative', scale: { domain: [0, 1] }, title: 'observed pass rate' },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'bin'" }],
          mark: { type: 'circle', color: '#4c78a8', opacity: 0.85 },
          encoding: {
            x: { field: 'meanP', type: 'quantitative' },
            y: { field: 'passRate', type: 'quantitative' },
            size: { field: 'count', type: 'quantitative', title: 'rows in bin', scale: { range: [20, 400] } },
            tooltip: [
              { field: 'meanP', format: '.2f' },
              { field: 'passRate', format: '.2f' },
              { field: 'count' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.layer === 'bin'" }],
          mark: { type: 'text', dy: -10, fontSize: 9, color: '#333' },
          encoding: {
            x: { field: 'meanP', type: 'quantitative' },
            y: { field: 'passRate', type: 'quantitative' },
            text: { field: 'count', type: 'quantitative' },
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
  return {
    name: 'reliability',
    title: 'Reliability per worker',
    caption: 'Each point is a bin of stated probabilities (width 0.1), placed at its mean stated p and observed pass rate and labelled with its row count; points on the dashed diagonal are calibrated, points below it are over-confident.',
    spec,
  };
}

/** A worker's stated and observed pass rate with confidence intervals. */
export interface StatedActualPoint {
  /** Worker id. */
  worker: string;
  /** Mean stated p. */
  meanP: number;
  /** 95% CI of the mean stated p, if known. */
  meanPCi?: [number, number];
  /** Observed pass rate. */
  passRate: number;
  /** 95% CI of the pass rate, if known. */
  passRateCi?: [number, number];
}

/** Stated versus actual pass rate per worker, with CIs. */
export function statedVersusActualChart(points: StatedActualPoint[]): ChartSpec {
  const values = points.flatMap((point) => [
    { worker: point.worker, measure: 'stated p (mean)', value: point.meanP, lo: point.meanPCi?.[0] ?? point.meanP, hi: point.meanPCi?.[1] ?? point.meanP },
    { worker: point.worker, measure: 'actual pass rate', value: point.passRate, lo: point.passRateCi?.[0] ?? point.passRate, hi: point.passRateCi?.[1] ?? point.passRate },
  ]);
  const spec = {
    $schema: SCHEMA,
    data: { values },
    width: 420,
    height: { step: 26 },
    encoding: {
      y: { field: 'worker', type: 'nominal', title: null },
      yOffset: { field: 'measure' },
      // The domain is given so orange is the stated p and blue the pass rate, as the caption says
      // (sorted by name the two would swap).
      color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['stated p (mean)', 'actual pass rate'], range: ['#f58518', '#4c78a8'] } },
    },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: 'probability' }, x2: { field: 'hi' } },
      },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x: { field: 'value', type: 'quantitative' } } },
    ],
  } as unknown as TopLevelSpec;
  return {
    name: 'stated-vs-actual',
    title: 'Stated versus actual pass rate',
    caption: 'Orange: the mean probability a worker stated; blue: how often it actually succeeded; bars are 95% task-clustered bootstrap intervals.',
    spec,
  };
}

/** One row's forecast/actual token ratio. */
export interface TokenRatioPoint {
  /** Worker id. */
  worker: string;
  /** Forecast tokens divided by actual tokens. */
  ratio: number;
}

/** Distribution of token forecast ratios per worker on a log scale. */
export function tokenRatioChart(points: TokenRatioPoint[]): ChartSpec {
  const values = points.filter((point) => point.ratio > 0 && Number.isFinite(point.ratio));
  const spec = {
    $schema: SCHEMA,
    data: { values },
    width: 420,
    height: { step: 30 },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', size: 18 },
        encoding: {
          y: { field: 'worker', type: 'nominal', title: null },
          x: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'forecast tokens ÷ actual tokens (log scale)' },
          color: { value: '#72b7b2' },
        },
      },
      {
        data: { values: [{ x: 1 }] },
        mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
    ],
  } as unknown as TopLevelSpec;
  return {
    name: 'token-ratio',
    title: 'Token forecasts',
    caption: 'Box plots of forecast ÷ actual tokens per attempt; the red line at 1 is a perfect forecast, left of it the worker under-estimated its token use.',
    spec,
  };
}
