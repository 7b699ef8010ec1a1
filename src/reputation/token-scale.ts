/** A worker's historical actual-over-forecast token multiple. */
export interface TokenScale {
  /** Rows with both a positive forecast and positive actual tokens. */
  rows: number;
  /** Σ actual / Σ forecast over those rows (1 when there are none). */
  ratio: number;
}

/**
 * The multiple by which a worker's token forecasts must be scaled to match its actual use on
 * average: Σ actual / Σ forecast over its history rows (a ratio of sums, so scaled forecasts are
 * unbiased for total tokens and hence total cost). 1 when no row has both figures. Cross-fit by
 * passing only rows of other tasks.
 */
export function fitTokenScale(options: {
  /** Stated tokens per row (null when none). */
  forecast: ArrayLike<number | null>;
  /** Actual tokens per row. */
  actual: ArrayLike<number>;
}): TokenScale {
  const { forecast, actual } = options;
  let sumForecast = 0;
  let sumActual = 0;
  let rows = 0;
  for (let i = 0; i < forecast.length; i++) {
    const f = forecast[i];
    const a = actual[i] as number;
    if (f === null || f === undefined || !(f > 0) || !(a > 0)) continue;
    sumForecast += f;
    sumActual += a;
    rows++;
  }
  return { rows, ratio: rows > 0 ? sumActual / sumForecast : 1 };
}
